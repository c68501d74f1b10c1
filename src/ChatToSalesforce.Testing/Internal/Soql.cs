using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatToSalesforce.Testing.Internal;

internal enum TokenKind
{
    Ident,
    String,
    Number,
    Date,
    DateTime,
    Op,
    LParen,
    RParen,
    Comma,
    End,
}

internal sealed record Token(TokenKind Kind, string Text, int Position, string? Value = null, string? LikeRegex = null, string? LikeSuffix = null)
{
    public bool Is(string keyword) => Kind == TokenKind.Ident && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
}

internal enum LiteralKind
{
    String,
    Number,
    Boolean,
    Null,
    Date,
    DateTime,
}

internal sealed record Literal(LiteralKind Kind, string Text, decimal Number = 0, bool Boolean = false, DateTimeOffset Instant = default, string? LikeRegex = null);

internal sealed class FieldPath
{
    public required string Text { get; init; }
    public required int Position { get; init; }
    public List<FieldDef> References { get; } = [];
    public string FieldName { get; set; } = string.Empty;
    public FieldDef? Field { get; set; }
}

internal abstract record Expr;

internal sealed record AndExpr(List<Expr> Items) : Expr;

internal sealed record OrExpr(List<Expr> Items) : Expr;

internal sealed record NotExpr(Expr Inner) : Expr;

internal sealed record CompareExpr(FieldPath Path, string Op, Literal Value) : Expr;

internal sealed record InExpr(FieldPath Path, bool Negated, List<Literal> Values) : Expr;

internal sealed record LikeExpr(FieldPath Path, Regex Pattern, string? Suffix = null) : Expr;

internal sealed record OrderItem(FieldPath Path, bool Descending, bool NullsFirst);

internal sealed class SoqlQuery
{
    public required ObjectDef From { get; init; }
    public bool IsCount { get; init; }
    public List<FieldPath> Select { get; } = [];
    public Expr? Where { get; set; }
    public List<OrderItem> OrderBy { get; } = [];
    public int? Limit { get; set; }
    public int? Offset { get; set; }
}

/// <summary>The SOQL subset: SELECT fields (relationship paths) or COUNT(), FROM, WHERE, ORDER BY, LIMIT, OFFSET.</summary>
internal sealed partial class SoqlEngine
{
    private readonly OrgState _org;

    public SoqlEngine(OrgState org) => _org = org;

    // ---------- lexer ----------

    public static List<Token> Lex(string soql)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < soql.Length)
        {
            var c = soql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '\'')
            {
                i++;
                var value = new StringBuilder();
                var like = new StringBuilder();
                var wildcards = 0;
                var leadingPercent = i < soql.Length && soql[i] == '%';
                var closed = false;
                while (i < soql.Length)
                {
                    var ch = soql[i];
                    if (ch == '\\')
                    {
                        if (i + 1 >= soql.Length)
                        {
                            break;
                        }

                        var next = soql[i + 1];
                        string? unescaped = next switch
                        {
                            'n' => "\n",
                            'r' => "\r",
                            't' => "\t",
                            'b' => "\b",
                            'f' => "\f",
                            '"' => "\"",
                            '\'' => "'",
                            '\\' => "\\",
                            '%' => "%",
                            '_' => "_",
                            _ => null,
                        };
                        if (unescaped is null)
                        {
                            throw Malformed(soql, i, $"Invalid string literal '{soql[start..Math.Min(soql.Length, i + 2)]}'. Illegal character sequence '\\{next}' in string literal.");
                        }

                        value.Append(unescaped);
                        like.Append(Regex.Escape(unescaped));
                        i += 2;
                        continue;
                    }

                    if (ch == '\'')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    value.Append(ch);
                    like.Append(ch switch { '%' => ".*", '_' => ".", _ => Regex.Escape(ch.ToString()) });
                    wildcards += ch is '%' or '_' ? 1 : 0;
                    i++;
                }

                if (!closed)
                {
                    throw Malformed(soql, start, $"line 1:{start} mismatched character '<EOF>' expecting '''");
                }

                // '%literal' (an ends-with pattern) is compared without a regular expression: a scan of many records stays fast.
                var suffix = leadingPercent && wildcards == 1 ? value.ToString(1, value.Length - 1) : null;
                tokens.Add(new Token(TokenKind.String, soql[start..i], start, value.ToString(), "^" + like + "$", suffix));
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < soql.Length && char.IsAsciiDigit(soql[i + 1])))
            {
                var m = DateTimeLiteral().Match(soql, i);
                if (m.Success && m.Index == i && c != '-')
                {
                    var kind = m.Groups["time"].Success ? TokenKind.DateTime : TokenKind.Date;
                    tokens.Add(new Token(kind, m.Value, start));
                    i += m.Length;
                    continue;
                }

                i++;
                while (i < soql.Length && (char.IsAsciiDigit(soql[i]) || soql[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, soql[start..i], start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < soql.Length && (char.IsAsciiLetterOrDigit(soql[i]) || soql[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Ident, soql[start..i], start));
                continue;
            }

            switch (c)
            {
                case '(':
                    tokens.Add(new Token(TokenKind.LParen, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.RParen, ")", i++));
                    continue;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, ",", i++));
                    continue;
                case '=':
                    tokens.Add(new Token(TokenKind.Op, "=", i++));
                    continue;
                case '!' when i + 1 < soql.Length && soql[i + 1] == '=':
                    tokens.Add(new Token(TokenKind.Op, "!=", i));
                    i += 2;
                    continue;
                case '<' or '>':
                    if (i + 1 < soql.Length && (soql[i + 1] == '=' || (c == '<' && soql[i + 1] == '>')))
                    {
                        var op = soql.Substring(i, 2);
                        tokens.Add(new Token(TokenKind.Op, op == "<>" ? "!=" : op, i));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Op, c.ToString(), i++));
                    }

                    continue;
                default:
                    throw Malformed(soql, i, $"line 1:{i} no viable alternative at character '{c}'");
            }
        }

        tokens.Add(new Token(TokenKind.End, "<EOF>", soql.Length));
        return tokens;
    }

    public static ApiException Malformed(string soql, int position, string reason)
    {
        var caret = new string(' ', Math.Max(0, position)) + "^";
        return new ApiException(400, "MALFORMED_QUERY", $"\n{soql}\n{caret}\nERROR at Row:1:Column:{position + 1}\n{reason}");
    }

    private static ApiException Unexpected(string soql, Token token) =>
        Malformed(soql, token.Position, $"unexpected token: '{token.Text}'");

    // ---------- parser ----------

    public SoqlQuery Parse(string soql)
    {
        var tokens = Lex(soql);
        var p = 0;
        Token Peek() => tokens[p];
        Token Next() => tokens[p++];
        void Expect(TokenKind kind, string? keyword = null)
        {
            var t = Next();
            if (t.Kind != kind || (keyword is not null && !t.Is(keyword)))
            {
                throw Unexpected(soql, t);
            }
        }

        Expect(TokenKind.Ident, "SELECT");
        var isCount = false;
        var selected = new List<Token>();
        if (Peek().Is("COUNT") && tokens[p + 1].Kind == TokenKind.LParen)
        {
            p++;
            Expect(TokenKind.LParen);
            if (Peek().Kind != TokenKind.RParen)
            {
                throw Malformed(soql, Peek().Position, "Aggregate functions such as COUNT(field) are not supported by the emulator; use COUNT().");
            }

            Expect(TokenKind.RParen);
            isCount = true;
        }
        else
        {
            while (true)
            {
                var t = Next();
                if (t.Kind != TokenKind.Ident || t.Is("FROM"))
                {
                    throw Unexpected(soql, t);
                }

                if (Peek().Kind == TokenKind.LParen)
                {
                    throw Malformed(soql, t.Position, $"The emulator does not support '{t.Text}(...)' (aggregates, FIELDS() or functions).");
                }

                selected.Add(t);
                if (Peek().Kind == TokenKind.Comma)
                {
                    p++;
                    continue;
                }

                break;
            }
        }

        Expect(TokenKind.Ident, "FROM");
        var fromToken = Next();
        if (fromToken.Kind != TokenKind.Ident)
        {
            throw Unexpected(soql, fromToken);
        }

        var from = _org.Object(fromToken.Text) ?? throw new ApiException(400, "INVALID_TYPE",
            $"\n{soql}\n{new string(' ', fromToken.Position)}^\nERROR at Row:1:Column:{fromToken.Position + 1}\nsObject type '{fromToken.Text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        var query = new SoqlQuery { From = from, IsCount = isCount };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in selected)
        {
            var path = Resolve(soql, from, t.Text, t.Position);
            if (!seen.Add(string.Join('.', path.References.Select(r => r.RelationshipName).Append(path.FieldName))))
            {
                throw Malformed(soql, t.Position, $"duplicate field selected: {t.Text}");
            }

            query.Select.Add(path);
        }

        if (Peek().Is("WHERE"))
        {
            p++;
            query.Where = ParseOr(soql, tokens, ref p, from);
        }

        if (Peek().Is("ORDER"))
        {
            p++;
            Expect(TokenKind.Ident, "BY");
            while (true)
            {
                var t = Next();
                if (t.Kind != TokenKind.Ident)
                {
                    throw Unexpected(soql, t);
                }

                var path = Resolve(soql, from, t.Text, t.Position);
                var descending = false;
                if (Peek().Is("ASC"))
                {
                    p++;
                }
                else if (Peek().Is("DESC"))
                {
                    p++;
                    descending = true;
                }

                var nullsFirst = !descending;
                if (Peek().Is("NULLS"))
                {
                    p++;
                    var which = Next();
                    if (which.Is("FIRST"))
                    {
                        nullsFirst = true;
                    }
                    else if (which.Is("LAST"))
                    {
                        nullsFirst = false;
                    }
                    else
                    {
                        throw Unexpected(soql, which);
                    }
                }

                query.OrderBy.Add(new OrderItem(path, descending, nullsFirst));
                if (Peek().Kind == TokenKind.Comma)
                {
                    p++;
                    continue;
                }

                break;
            }
        }

        if (Peek().Is("LIMIT"))
        {
            p++;
            query.Limit = ParseCount(soql, Next());
        }

        if (Peek().Is("OFFSET"))
        {
            p++;
            var offsetToken = Next();
            query.Offset = ParseCount(soql, offsetToken);
            if (query.Offset > 2000)
            {
                throw new ApiException(400, "NUMBER_OUTSIDE_VALID_RANGE", $"Maximum SOQL offset allowed is 2000");
            }
        }

        if (Peek().Kind != TokenKind.End)
        {
            throw Unexpected(soql, Peek());
        }

        return query;
    }

    private static int ParseCount(string soql, Token t)
    {
        if (t.Kind != TokenKind.Number || !int.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw Unexpected(soql, t);
        }

        return n;
    }

    private Expr ParseOr(string soql, List<Token> tokens, ref int p, ObjectDef from)
    {
        var items = new List<Expr> { ParseUnary(soql, tokens, ref p, from) };
        string? connector = null;
        while (tokens[p].Is("AND") || tokens[p].Is("OR"))
        {
            var t = tokens[p++];
            var op = t.Text.ToUpperInvariant();
            if (connector is not null && connector != op)
            {
                throw Unexpected(soql, t);
            }

            connector = op;
            items.Add(ParseUnary(soql, tokens, ref p, from));
        }

        return items.Count == 1 ? items[0] : connector == "AND" ? new AndExpr(items) : new OrExpr(items);
    }

    private Expr ParseUnary(string soql, List<Token> tokens, ref int p, ObjectDef from)
    {
        var t = tokens[p];
        if (t.Is("NOT"))
        {
            p++;
            return new NotExpr(ParseUnary(soql, tokens, ref p, from));
        }

        if (t.Kind == TokenKind.LParen)
        {
            p++;
            var inner = ParseOr(soql, tokens, ref p, from);
            if (tokens[p].Kind != TokenKind.RParen)
            {
                throw Unexpected(soql, tokens[p]);
            }

            p++;
            return inner;
        }

        if (t.Kind != TokenKind.Ident)
        {
            throw Unexpected(soql, t);
        }

        p++;
        var path = Resolve(soql, from, t.Text, t.Position);
        var op = tokens[p];
        if (op.Kind == TokenKind.Op)
        {
            p++;
            var literal = ParseLiteral(soql, tokens[p++]);
            CheckLiteral(soql, path, literal, op.Text);
            return new CompareExpr(path, op.Text, literal);
        }

        var negated = false;
        if (op.Is("NOT"))
        {
            negated = true;
            p++;
            op = tokens[p];
            if (!op.Is("IN"))
            {
                throw Unexpected(soql, op);
            }
        }

        if (op.Is("IN"))
        {
            p++;
            if (tokens[p++].Kind != TokenKind.LParen)
            {
                throw Unexpected(soql, tokens[p - 1]);
            }

            var values = new List<Literal>();
            while (true)
            {
                var v = tokens[p++];
                if (v.Is("SELECT"))
                {
                    throw Malformed(soql, v.Position, "The emulator does not support semi-join subqueries.");
                }

                var literal = ParseLiteral(soql, v);
                CheckLiteral(soql, path, literal, "IN");
                values.Add(literal);
                if (tokens[p].Kind == TokenKind.Comma)
                {
                    p++;
                    continue;
                }

                if (tokens[p].Kind != TokenKind.RParen)
                {
                    throw Unexpected(soql, tokens[p]);
                }

                p++;
                break;
            }

            return new InExpr(path, negated, values);
        }

        if (op.Is("LIKE"))
        {
            p++;
            var v = tokens[p++];
            if (v.Kind != TokenKind.String)
            {
                throw Unexpected(soql, v);
            }

            if (path.Field is { IsText: false } && path.Field.Type != "id" && path.Field.Type != "reference")
            {
                throw new ApiException(400, "INVALID_FIELD", $"\n{soql}\n{new string(' ', path.Position)}^\nERROR at Row:1:Column:{path.Position + 1}\ninvalid operator on {path.Field.Type} field: {path.Text}");
            }

            return new LikeExpr(path, new Regex(v.LikeRegex!, RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), v.LikeSuffix);
        }

        throw Unexpected(soql, op);
    }

    private static Literal ParseLiteral(string soql, Token t)
    {
        switch (t.Kind)
        {
            case TokenKind.String:
                return new Literal(LiteralKind.String, t.Value!, LikeRegex: t.LikeRegex);
            case TokenKind.Number:
                if (!decimal.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                {
                    throw Unexpected(soql, t);
                }

                return new Literal(LiteralKind.Number, t.Text, Number: n);
            case TokenKind.Date:
                return new Literal(LiteralKind.Date, t.Text, Instant: new DateTimeOffset(DateOnly.ParseExact(t.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            case TokenKind.DateTime:
                if (!OrgState.TryParseDateTime(t.Text, out var instant))
                {
                    throw Unexpected(soql, t);
                }

                return new Literal(LiteralKind.DateTime, t.Text, Instant: instant);
            case TokenKind.Ident when t.Is("NULL"):
                return new Literal(LiteralKind.Null, "null");
            case TokenKind.Ident when t.Is("TRUE") || t.Is("FALSE"):
                return new Literal(LiteralKind.Boolean, t.Text, Boolean: t.Is("TRUE"));
            default:
                throw Unexpected(soql, t);
        }
    }

    private static void CheckLiteral(string soql, FieldPath path, Literal literal, string op)
    {
        if (literal.Kind == LiteralKind.Null)
        {
            if (op is not ("=" or "!=" or "IN"))
            {
                throw Malformed(soql, path.Position, $"invalid operator on null value: {op}");
            }

            return;
        }

        var field = path.Field;
        if (field is null)
        {
            return;
        }

        var (expected, quoted) = field.Type switch
        {
            "boolean" => (LiteralKind.Boolean, false),
            "double" or "int" or "currency" or "percent" => (LiteralKind.Number, false),
            "date" => (LiteralKind.Date, false),
            "datetime" => (LiteralKind.DateTime, false),
            _ => (LiteralKind.String, true),
        };
        if (literal.Kind != expected)
        {
            var typeName = field.Type is "id" or "reference" ? "reference" : field.Type;
            throw new ApiException(400, "INVALID_QUERY_FILTER_OPERATOR",
                $"\n{soql}\n{new string(' ', path.Position)}^\nERROR at Row:1:Column:{path.Position + 1}\nvalue of filter criterion for field '{path.Text}' must be of type {typeName} and should {(quoted ? string.Empty : "not ")}be enclosed in quotes");
        }
    }

    private FieldPath Resolve(string soql, ObjectDef from, string text, int position)
    {
        var segments = text.Split('.');
        if (segments.Length > 1 && string.Equals(segments[0], from.Name, StringComparison.OrdinalIgnoreCase))
        {
            segments = segments[1..];
        }

        var path = new FieldPath { Text = text, Position = position };
        IReadOnlyList<ObjectDef> current = [from];
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var reference = current.Select(d => d.Relationship(segments[i])).FirstOrDefault(f => f is not null)
                ?? throw new ApiException(400, "INVALID_FIELD", $"\n{soql}\n{new string(' ', position)}^\nERROR at Row:1:Column:{position + 1}\nDidn't understand relationship '{segments[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            path.References.Add(reference);
            current = reference.ReferenceTo.Select(t => _org.Object(t)).OfType<ObjectDef>().ToList();
        }

        var last = segments[^1];
        if (path.References.Count > 0 && current.Count > 1 && string.Equals(last, "Type", StringComparison.OrdinalIgnoreCase))
        {
            path.FieldName = "Type"; // the polymorphic "Name" entity's Type: the related record's object name
            return path;
        }

        var field = current.Select(d => d.Field(last)).FirstOrDefault(f => f is not null);
        if (field is null)
        {
            throw new ApiException(400, "INVALID_FIELD", $"\n{soql}\n{new string(' ', position)}^\nERROR at Row:1:Column:{position + 1}\nNo such column '{last}' on entity '{(current.Count > 0 ? current[0].Name : null) ?? from.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
        }

        path.FieldName = field.Name;
        path.Field = current.Count == 1 ? field : null;
        return path;
    }

    // ---------- evaluation ----------

    public (int TotalSize, List<JsonObject> Records) Execute(SoqlQuery query, bool includeDeleted, string version)
    {
        if (query.From.Name == "ContentDocumentLink" && !FiltersOnLinkKey(query.Where))
        {
            throw new ApiException(400, "MALFORMED_QUERY", "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.");
        }

        var store = _org.Store(query.From.Name)!;
        IEnumerable<Record> candidates = (includeDeleted ? null : IndexCandidates(query, store)) ?? store.All;
        var matched = candidates.Where(r => (includeDeleted || !r.IsDeleted) && (query.Where is null || Evaluate(query.Where, r))).ToList();
        if (query.OrderBy.Count > 0)
        {
            matched = matched.OrderBy(r => r, Comparer<Record>.Create((a, b) => CompareForOrder(query.OrderBy, a, b))).ToList();
        }
        else
        {
            matched.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        IEnumerable<Record> window = matched;
        if (query.Offset is { } offset)
        {
            window = window.Skip(offset);
        }

        if (query.Limit is { } limit)
        {
            window = window.Take(limit);
        }

        if (query.IsCount)
        {
            return (window.Count(), []);
        }

        var rows = window.Select(r => Project(query, r, version)).ToList();
        return (rows.Count, rows);
    }

    private static bool FiltersOnLinkKey(Expr? where)
    {
        IEnumerable<Expr> conjuncts = where switch
        {
            AndExpr and => and.Items,
            null => [],
            var single => [single],
        };
        return conjuncts.Any(c =>
            (c is CompareExpr { Op: "=" } cmp && cmp.Path.References.Count == 0 && cmp.Path.FieldName is "ContentDocumentId" or "LinkedEntityId")
            || (c is InExpr { Negated: false } inExpr && inExpr.Path.References.Count == 0 && inExpr.Path.FieldName is "ContentDocumentId" or "LinkedEntityId"));
    }

    private IEnumerable<Record>? IndexCandidates(SoqlQuery query, ObjectStore store)
    {
        var conjuncts = query.Where switch
        {
            AndExpr and => and.Items,
            null => [],
            var single => [single],
        };
        foreach (var c in conjuncts)
        {
            if (c is CompareExpr { Op: "=", Value.Kind: LiteralKind.String } cmp && cmp.Path.References.Count == 0)
            {
                var hits = Lookup(store, cmp.Path.FieldName, cmp.Value.Text);
                if (hits is not null)
                {
                    return hits;
                }
            }

            if (c is InExpr { Negated: false } inExpr && inExpr.Path.References.Count == 0 && inExpr.Values.All(v => v.Kind == LiteralKind.String))
            {
                var union = new HashSet<Record>();
                foreach (var v in inExpr.Values)
                {
                    var hits = Lookup(store, inExpr.Path.FieldName, v.Text);
                    if (hits is null)
                    {
                        union = null;
                        break;
                    }

                    union.UnionWith(hits);
                }

                if (union is not null)
                {
                    return union;
                }
            }
        }

        return null;
    }

    private IEnumerable<Record>? Lookup(ObjectStore store, string field, string value)
    {
        if (field == "Id")
        {
            var record = _org.Get(value);
            return record is not null && record.Def == store.Def ? [record] : [];
        }

        return store.Lookup(field, JsonValue.Create(value));
    }

    private (JsonNode? Value, FieldDef? Field) Value(FieldPath path, Record record)
    {
        var current = record;
        foreach (var reference in path.References)
        {
            current = _org.Get(current.Text(reference.Name));
            if (current is null)
            {
                return (null, path.Field);
            }
        }

        if (IsPolymorphicType(path))
        {
            return (JsonValue.Create(current.Def.Name), null);
        }

        return (current[path.FieldName], current.Def.Field(path.FieldName));
    }

    private static bool IsPolymorphicType(FieldPath path) =>
        path.Field is null && path.FieldName == "Type" && path.References.Count > 0 && path.References[^1].ReferenceTo.Count > 1;

    private bool Evaluate(Expr expr, Record record)
    {
        switch (expr)
        {
            case AndExpr and:
                return and.Items.All(i => Evaluate(i, record));
            case OrExpr or:
                return or.Items.Any(i => Evaluate(i, record));
            case NotExpr not:
                return !Evaluate(not.Inner, record);
            case LikeExpr like:
            {
                var (value, _) = Value(like.Path, record);
                var text = Json.Str(value);
                return text is not null && (like.Suffix is { } suffix ? text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) : like.Pattern.IsMatch(text));
            }

            case InExpr inExpr:
            {
                var (value, field) = Value(inExpr.Path, record);
                var found = inExpr.Values.Any(v => Compare(value, field, v) == 0);
                return inExpr.Negated ? !found : found;
            }

            case CompareExpr cmp:
            {
                var (value, field) = Value(cmp.Path, record);
                if (cmp.Value.Kind == LiteralKind.Null)
                {
                    var isNull = value is null;
                    return cmp.Op == "=" ? isNull : cmp.Op == "!=" && !isNull;
                }

                var result = Compare(value, field, cmp.Value);
                return cmp.Op switch
                {
                    "=" => result == 0,
                    "!=" => result != 0,
                    _ when result is null => false,
                    "<" => result < 0,
                    ">" => result > 0,
                    "<=" => result <= 0,
                    ">=" => result >= 0,
                    _ => false,
                };
            }

            default:
                return false;
        }
    }

    /// <summary>Compares a stored value with a literal; null when either side is null (null equals only null).</summary>
    private static int? Compare(JsonNode? value, FieldDef? field, Literal literal)
    {
        if (literal.Kind == LiteralKind.Null)
        {
            return value is null ? 0 : null;
        }

        if (value is null)
        {
            return null;
        }

        switch (literal.Kind)
        {
            case LiteralKind.Number:
                return Json.TryNumber(value, out var d) ? d.CompareTo(literal.Number) : null;
            case LiteralKind.Boolean:
                return Json.Bool(value).CompareTo(literal.Boolean);
            case LiteralKind.Date:
            case LiteralKind.DateTime:
                var text = Json.Str(value)!;
                if (OrgState.TryParseDateTime(text, out var instant))
                {
                    return instant.CompareTo(literal.Instant);
                }

                return OrgState.TryParseDate(text, out var date)
                    ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).CompareTo(literal.Instant)
                    : null;
            default:
                var s = Json.Str(value)!;
                if (field is not null && field.IsReference)
                {
                    var left = SalesforceId.Normalize(s) ?? s;
                    var right = SalesforceId.Normalize(literal.Text) ?? literal.Text;
                    return string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
                }

                return string.Compare(s, literal.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private int CompareForOrder(List<OrderItem> order, Record a, Record b)
    {
        foreach (var item in order)
        {
            var (va, _) = Value(item.Path, a);
            var (vb, _) = Value(item.Path, b);
            int result;
            if (va is null || vb is null)
            {
                if (va is null && vb is null)
                {
                    continue;
                }

                result = va is null ? (item.NullsFirst ? -1 : 1) : (item.NullsFirst ? 1 : -1);
                return result;
            }

            if (Json.TryNumber(va, out var dx) && Json.TryNumber(vb, out var dy))
            {
                result = dx.CompareTo(dy);
            }
            else if (va is JsonValue bx && vb is JsonValue by && bx.TryGetValue<bool>(out var boolX) && by.TryGetValue<bool>(out var boolY))
            {
                result = boolX.CompareTo(boolY);
            }
            else
            {
                result = string.Compare(Json.Str(va), Json.Str(vb), StringComparison.OrdinalIgnoreCase);
            }

            if (result != 0)
            {
                return item.Descending ? -result : result;
            }
        }

        return a.Sequence.CompareTo(b.Sequence);
    }

    private JsonObject Project(SoqlQuery query, Record record, string version)
    {
        var row = new JsonObject { ["attributes"] = OrgState.Attributes(record.Def, record.Id, version) };
        foreach (var path in query.Select)
        {
            var target = row;
            var current = record;
            var broken = false;
            foreach (var reference in path.References)
            {
                var name = reference.RelationshipName!;
                var related = current is null ? null : _org.Get(current.Text(reference.Name));
                if (related is null)
                {
                    if (!target.ContainsKey(name))
                    {
                        target[name] = null;
                    }

                    broken = true;
                    break;
                }

                if (target[name] is not JsonObject nested)
                {
                    var attributes = OrgState.Attributes(related.Def, related.Id, version);
                    if (reference.ReferenceTo.Count > 1)
                    {
                        attributes["type"] = "Name"; // polymorphic relationships (Who, What) come back as the Name entity
                    }

                    nested = new JsonObject { ["attributes"] = attributes };
                    target[name] = nested;
                }

                target = nested;
                current = related;
            }

            if (broken)
            {
                continue;
            }

            if (IsPolymorphicType(path))
            {
                target["Type"] = current!.Def.Name;
                continue;
            }

            target[path.FieldName] = current!.Def.Field(path.FieldName)?.Type == "base64"
                ? (current.Blob is null ? null : $"/services/data/v{version}/sobjects/{current.Def.Name}/{current.Id}/{path.FieldName}")
                : current[path.FieldName]?.DeepClone();
        }

        return row;
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}(?<time>T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeLiteral();
}
