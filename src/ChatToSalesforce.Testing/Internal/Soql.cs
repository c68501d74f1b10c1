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

internal sealed record Token(TokenKind Kind, string Text, int Position, string? Value = null, string? LikeSuffix = null)
{
    /// <summary>A string literal as a LIKE pattern (an anchored regular expression), built when a LIKE uses it.</summary>
    public string LikeRegex => SoqlEngine.ReadString(Text, 0, withLike: true).Like!;

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

    /// <summary>A relative date literal (TODAY, LAST_N_DAYS:n): the range [Instant, End).</summary>
    DateRange,
}

internal sealed record Literal(LiteralKind Kind, string Text, decimal Number = 0, bool Boolean = false, DateTimeOffset Instant = default, DateTimeOffset End = default);

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

internal sealed record OrExpr(List<Expr> Items) : Expr
{
    /// <summary>
    /// Gets, when every item is an ends-with LIKE on one field (<c>F LIKE '%a' OR F LIKE '%b'</c>), the field and the
    /// suffixes grouped by length: a record is then matched with one hash look-up per distinct length.
    /// </summary>
    public (FieldPath Path, (int Length, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Values)[] ByLength)? SameFieldSuffixes { get; } =
        Items.Count > 1 && Items.All(i => i is LikeExpr { Suffix: not null } l && l.Path.Text == ((LikeExpr)Items[0]).Path.Text)
            ? (((LikeExpr)Items[0]).Path, Items.Select(i => ((LikeExpr)i).Suffix!).GroupBy(x => x.Length)
                .Select(g => (g.Key, new HashSet<string>(g, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>())).ToArray())
            : null;
}

internal sealed record NotExpr(Expr Inner) : Expr;

internal sealed record CompareExpr(FieldPath Path, string Op, Literal Value) : Expr;

internal sealed record InExpr(FieldPath Path, bool Negated, List<Literal> Values) : Expr;

/// <summary>A LIKE comparison. The regular expression is built on first use: ends-with patterns never need it.</summary>
internal sealed record LikeExpr(FieldPath Path, string Regex, string? Suffix = null) : Expr
{
    private Regex? _pattern;

    public Regex Pattern => _pattern ??= new Regex(Regex, RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}

/// <summary>An ORDER BY item: a field, or (in aggregate queries) an aggregate function.</summary>
internal sealed record OrderItem(FieldPath Path, bool Descending, bool NullsFirst, AggregateItem? Aggregate = null, int Position = 0);

internal enum AggregateFunction
{
    Count,
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
}

/// <summary>An aggregate in the SELECT list; Name is its alias or Salesforce's exprN.</summary>
internal sealed record AggregateItem(AggregateFunction Function, FieldPath Path, string Name);

/// <summary>A parent-to-child relationship (Account.Contacts): the child object and its reference field.</summary>
internal sealed record ChildRelationship(string Name, ObjectDef Child, FieldDef Field);

internal sealed class SoqlQuery
{
    public required ObjectDef From { get; init; }
    public bool IsCount { get; init; }

    /// <summary>For a parent-child subquery: the relationship it reads.</summary>
    public ChildRelationship? Relationship { get; init; }

    /// <summary>Plain field columns.</summary>
    public List<FieldPath> Select { get; } = [];

    /// <summary>Every column in SELECT order: FieldPath, AggregateItem or SoqlQuery (a subquery).</summary>
    public List<object> Columns { get; } = [];

    public List<AggregateItem> Aggregates { get; } = [];

    public List<FieldPath> GroupBy { get; } = [];

    public bool IsAggregate => Aggregates.Count > 0 || GroupBy.Count > 0;

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

    /// <summary>The characters <see cref="Regex.Escape(string)"/> escapes.</summary>
    private static readonly System.Buffers.SearchValues<char> RegexSpecial = System.Buffers.SearchValues.Create("\\*+?|{[()^$.# \t\n\r\f\v");

    /// <summary>
    /// Reads the string literal that starts (with its quote) at <paramref name="start"/>: its value, how many unescaped
    /// wildcards it holds, where it ends, and (when asked) its LIKE pattern. A literal without escapes (the values of an
    /// IN list) is one substring.
    /// </summary>
    internal static (string Value, string? Like, int Wildcards, int End) ReadString(string soql, int start, bool withLike)
    {
        var i = start + 1;
        var rest = soql.AsSpan(i);
        var stop = rest.IndexOfAny('\'', '\\');
        if (!withLike && stop >= 0 && rest[stop] == '\'')
        {
            var plain = rest[..stop];
            return (plain.ToString(), null, plain.Count('%') + plain.Count('_'), i + stop + 1);
        }

        var value = new StringBuilder();
        var like = withLike ? new StringBuilder("^") : null;
        var wildcards = 0;
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
                if (next == 'u' && i + 5 < soql.Length
                    && int.TryParse(soql.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    // \uXXXX (SOQL "Quoted String Escape Sequences"): a Unicode character, never a wildcard
                    var ch16 = ((char)code).ToString();
                    value.Append(ch16);
                    like?.Append(Regex.Escape(ch16));
                    i += 6;
                    continue;
                }

                string? unescaped = next switch
                {
                    'n' or 'N' => "\n",
                    'r' or 'R' => "\r",
                    't' or 'T' => "\t",
                    'b' or 'B' => "\b",
                    'f' or 'F' => "\f",
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
                like?.Append(Regex.Escape(unescaped));
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
            // Only the characters Regex.Escape changes are escaped through it: a string per character made lexing
            // IN lists of hundreds of values the emulator's largest allocation.
            _ = ch switch
            {
                _ when like is null => like,
                '%' => like.Append(".*"),
                '_' => like.Append('.'),
                _ when RegexSpecial.Contains(ch) => like.Append(Regex.Escape(ch.ToString())),
                _ => like.Append(ch),
            };
            wildcards += ch is '%' or '_' ? 1 : 0;
            i++;
        }

        if (!closed)
        {
            throw Malformed(soql, start, $"line 1:{start} mismatched character '<EOF>' expecting '''");
        }

        return (value.ToString(), like?.Append('$').ToString(), wildcards, i);
    }

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
                var (value, _, wildcards, end) = ReadString(soql, start, withLike: false);
                var leadingPercent = start + 1 < soql.Length && soql[start + 1] == '%';
                i = end;

                // '%literal' (an ends-with pattern) is compared without a regular expression: a scan of many records stays fast.
                var suffix = leadingPercent && wildcards == 1 ? value[1..] : null;
                tokens.Add(new Token(TokenKind.String, soql[start..i], start, value, suffix));
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

                // date literals with a parameter: LAST_N_DAYS:30, N_DAYS_AGO:3
                if (i + 1 < soql.Length && soql[i] == ':' && char.IsAsciiDigit(soql[i + 1]))
                {
                    i++;
                    while (i < soql.Length && char.IsAsciiDigit(soql[i]))
                    {
                        i++;
                    }
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

    /// <summary>Salesforce's documented limit on a SOQL statement's length (SOQL and SOSL limits: 100,000 characters).</summary>
    public const int MaxQueryLength = 100_000;

    /// <summary>
    /// Salesforce's documented limit on each string of a WHERE clause (SOQL and SOSL Limits: "4,000 characters for each
    /// string within a WHERE clause"; SOQL reference, WHERE: "Strings in WHERE clauses can't exceed 4,000 characters").
    /// Neither page names the error; the emulator answers MALFORMED_QUERY, the code the limits page gives for too many
    /// junction ids and Salesforce answers for an over-long statement.
    /// </summary>
    public const int MaxWhereStringLength = 4_000;

    /// <summary>How deep parentheses and NOT may nest in a WHERE clause; deeper input is rejected before it can exhaust the stack.</summary>
    public const int MaxNestingDepth = 100;

    public SoqlQuery Parse(string soql)
    {
        if (soql.Length > MaxQueryLength)
        {
            // Salesforce's own wording, "can not" included (MALFORMED_QUERY captured in RoseSilverSoftware/IlluminatedCloud
            // issue 466 for the former 20,000 limit and django-salesforce issue 164 for 100,000).
            throw new ApiException(400, "MALFORMED_QUERY", $"SOQL statements can not be longer than {MaxQueryLength} characters.");
        }

        var tokens = Lex(soql);
        var p = 0;
        var query = ParseQuery(soql, tokens, ref p, null);
        if (tokens[p].Kind != TokenKind.End)
        {
            throw Unexpected(soql, tokens[p]);
        }

        return query;
    }

    private sealed record SelectToken(Token Token, AggregateFunction? Function = null, Token? Argument = null, string? Alias = null, int SubqueryStart = -1);

    /// <summary>Parses SELECT ... FROM ... up to (not including) the end or, for a subquery, its closing parenthesis.</summary>
    private SoqlQuery ParseQuery(string soql, List<Token> tokens, ref int p, ObjectDef? parent)
    {
        var start = p;
        Token Peek(int pos) => tokens[pos];
        void Expect(ref int pos, TokenKind kind, string? keyword = null)
        {
            var t = tokens[pos++];
            if (t.Kind != kind || (keyword is not null && !t.Is(keyword)))
            {
                throw Unexpected(soql, t);
            }
        }

        Expect(ref p, TokenKind.Ident, "SELECT");
        var isCount = false;
        var selected = new List<SelectToken>();
        if (Peek(p).Is("COUNT") && tokens[p + 1].Kind == TokenKind.LParen && tokens[p + 2].Kind == TokenKind.RParen)
        {
            p += 3;
            isCount = true;
        }
        else
        {
            var unnamed = 0;
            while (true)
            {
                var t = tokens[p++];
                if (t.Kind == TokenKind.LParen)
                {
                    if (parent is not null)
                    {
                        throw Malformed(soql, t.Position, "Nesting of semi join sub-selects is not supported");
                    }

                    selected.Add(new SelectToken(t, SubqueryStart: p));
                    p = SkipParenthesized(soql, tokens, p);
                }
                else if (t.Kind != TokenKind.Ident || t.Is("FROM"))
                {
                    throw Unexpected(soql, t);
                }
                else if (Peek(p).Kind == TokenKind.LParen)
                {
                    var function = t.Text.ToUpperInvariant() switch
                    {
                        "COUNT" => AggregateFunction.Count,
                        "COUNT_DISTINCT" => AggregateFunction.CountDistinct,
                        "SUM" => AggregateFunction.Sum,
                        "AVG" => AggregateFunction.Avg,
                        "MIN" => AggregateFunction.Min,
                        "MAX" => AggregateFunction.Max,
                        _ => throw Malformed(soql, t.Position, $"The emulator does not support '{t.Text}(...)' (FIELDS(), toLabel(), FORMAT(), convertCurrency() and date functions)."),
                    };
                    p++;
                    var argument = tokens[p++];
                    if (argument.Kind == TokenKind.RParen)
                    {
                        throw Malformed(soql, argument.Position, "COUNT() must be the only element in the SELECT list.");
                    }

                    if (argument.Kind != TokenKind.Ident)
                    {
                        throw Unexpected(soql, argument);
                    }

                    Expect(ref p, TokenKind.RParen);
                    string alias;
                    if (Peek(p).Kind == TokenKind.Ident && !Peek(p).Is("FROM"))
                    {
                        alias = tokens[p++].Text;
                    }
                    else
                    {
                        alias = "expr" + unnamed++.ToString(CultureInfo.InvariantCulture);
                    }

                    selected.Add(new SelectToken(t, function, argument, alias));
                }
                else
                {
                    selected.Add(new SelectToken(t));
                }

                if (Peek(p).Kind == TokenKind.Comma)
                {
                    p++;
                    continue;
                }

                break;
            }
        }

        Expect(ref p, TokenKind.Ident, "FROM");
        var fromToken = tokens[p++];
        if (fromToken.Kind != TokenKind.Ident)
        {
            throw Unexpected(soql, fromToken);
        }

        ObjectDef from;
        ChildRelationship? child = null;
        if (parent is null)
        {
            from = _org.Object(fromToken.Text) ?? throw new ApiException(400, "INVALID_TYPE",
                $"\n{soql}\n{new string(' ', fromToken.Position)}^\nERROR at Row:1:Column:{fromToken.Position + 1}\nsObject type '{fromToken.Text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        }
        else
        {
            child = _org.ChildRelationships(parent).FirstOrDefault(c => string.Equals(c.Name, fromToken.Text, StringComparison.OrdinalIgnoreCase))
                ?? throw new ApiException(400, "INVALID_TYPE",
                    $"\n{soql}\n{new string(' ', fromToken.Position)}^\nERROR at Row:1:Column:{fromToken.Position + 1}\nDidn't understand relationship '{fromToken.Text}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            from = child.Child;
        }

        var query = new SoqlQuery { From = from, IsCount = isCount, Relationship = child };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var subqueries = new List<(SelectToken Item, int Index)>();
        foreach (var item in selected)
        {
            if (item.SubqueryStart >= 0)
            {
                subqueries.Add((item, query.Columns.Count));
                query.Columns.Add(null!); // filled below, in select order
                continue;
            }

            if (item.Function is { } function)
            {
                var argument = item.Argument!;
                var path = Resolve(soql, from, argument.Text, argument.Position);
                CheckAggregate(soql, function, path, argument);
                if (!seen.Add(item.Alias!))
                {
                    throw Malformed(soql, item.Token.Position, $"duplicate alias: {item.Alias}");
                }

                var aggregate = new AggregateItem(function, path, item.Alias!);
                query.Aggregates.Add(aggregate);
                query.Columns.Add(aggregate);
                continue;
            }

            var field = Resolve(soql, from, item.Token.Text, item.Token.Position);
            if (!seen.Add(string.Join('.', field.References.Select(r => r.RelationshipName).Append(field.FieldName))))
            {
                throw Malformed(soql, item.Token.Position, $"duplicate field selected: {item.Token.Text}");
            }

            query.Select.Add(field);
            query.Columns.Add(field);
        }

        if (tokens[p].Is("WHERE"))
        {
            p++;
            query.Where = ParseOr(soql, tokens, ref p, from, 0);
        }

        if (tokens[p].Is("GROUP"))
        {
            p++;
            Expect(ref p, TokenKind.Ident, "BY");
            if (parent is not null)
            {
                throw Malformed(soql, tokens[p - 1].Position, "GROUP BY is not supported in a subquery.");
            }

            while (true)
            {
                var t = tokens[p++];
                if (t.Kind != TokenKind.Ident || tokens[p].Kind == TokenKind.LParen)
                {
                    throw t.Kind == TokenKind.Ident
                        ? Malformed(soql, t.Position, $"The emulator does not support GROUP BY {t.Text}(...) (ROLLUP, CUBE and date functions).")
                        : Unexpected(soql, t);
                }

                var path = Resolve(soql, from, t.Text, t.Position);
                if (path.Field is { Type: "textarea" or "base64" })
                {
                    throw Malformed(soql, t.Position, $"field '{path.Text}' can not be grouped in a query call");
                }

                query.GroupBy.Add(path);
                if (tokens[p].Kind == TokenKind.Comma)
                {
                    p++;
                    continue;
                }

                break;
            }
        }

        if (tokens[p].Is("HAVING"))
        {
            throw Malformed(soql, tokens[p].Position, "The emulator does not support HAVING.");
        }

        if (tokens[p].Is("ORDER"))
        {
            p++;
            Expect(ref p, TokenKind.Ident, "BY");
            while (true)
            {
                var t = tokens[p++];
                if (t.Kind != TokenKind.Ident)
                {
                    throw Unexpected(soql, t);
                }

                FieldPath? path = null;
                AggregateItem? aggregate = null;
                if (tokens[p].Kind == TokenKind.LParen)
                {
                    var function = t.Text.ToUpperInvariant() switch
                    {
                        "COUNT" => AggregateFunction.Count,
                        "COUNT_DISTINCT" => AggregateFunction.CountDistinct,
                        "SUM" => AggregateFunction.Sum,
                        "AVG" => AggregateFunction.Avg,
                        "MIN" => AggregateFunction.Min,
                        "MAX" => AggregateFunction.Max,
                        _ => throw Malformed(soql, t.Position, $"The emulator does not support ORDER BY {t.Text}(...)."),
                    };
                    p++;
                    var argument = tokens[p++];
                    if (argument.Kind != TokenKind.Ident)
                    {
                        throw Unexpected(soql, argument);
                    }

                    Expect(ref p, TokenKind.RParen);
                    var argumentPath = Resolve(soql, from, argument.Text, argument.Position);
                    CheckAggregate(soql, function, argumentPath, argument);
                    aggregate = new AggregateItem(function, argumentPath, string.Empty);
                }
                else
                {
                    path = Resolve(soql, from, t.Text, t.Position);
                    if (!FieldRules.Sortable(path.Field))
                    {
                        throw new ApiException(400, "INVALID_FIELD", $"\n{soql}\n{new string(' ', path.Position)}^\nERROR at Row:1:Column:{path.Position + 1}\nfield '{path.FieldName}' can not be sorted in a query call");
                    }
                }

                var descending = false;
                if (tokens[p].Is("ASC"))
                {
                    p++;
                }
                else if (tokens[p].Is("DESC"))
                {
                    p++;
                    descending = true;
                }

                var nullsFirst = !descending;
                if (tokens[p].Is("NULLS"))
                {
                    p++;
                    var which = tokens[p++];
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

                query.OrderBy.Add(new OrderItem(path!, descending, nullsFirst, aggregate, t.Position));
                if (tokens[p].Kind == TokenKind.Comma)
                {
                    p++;
                    continue;
                }

                break;
            }
        }

        if (tokens[p].Is("LIMIT"))
        {
            p++;
            query.Limit = ParseCount(soql, tokens[p++]);
        }

        if (tokens[p].Is("OFFSET"))
        {
            p++;
            var offsetToken = tokens[p++];
            query.Offset = ParseCount(soql, offsetToken);
            if (query.Offset > 2000)
            {
                throw new ApiException(400, "NUMBER_OUTSIDE_VALID_RANGE", $"Maximum SOQL offset allowed is 2000");
            }

            if (parent is not null)
            {
                throw Malformed(soql, offsetToken.Position, "OFFSET is not supported in a subquery by the emulator.");
            }
        }

        if (query.IsAggregate)
        {
            CheckGrouping(soql, query);
        }

        if (parent is not null)
        {
            if (query.IsAggregate || query.IsCount)
            {
                throw Malformed(soql, tokens[start].Position, "Aggregate functions and COUNT() are not supported in a subquery.");
            }

            if (tokens[p].Kind != TokenKind.RParen)
            {
                throw Unexpected(soql, tokens[p]);
            }

            p++;
            return query;
        }

        if (subqueries.Count > 0 && (query.IsAggregate || query.IsCount))
        {
            throw Malformed(soql, subqueries[0].Item.Token.Position, "Subqueries cannot be combined with aggregate functions or COUNT().");
        }

        foreach (var (item, index) in subqueries)
        {
            var q = item.SubqueryStart;
            var sub = ParseQuery(soql, tokens, ref q, from);
            if (!seen.Add(sub.Relationship!.Name))
            {
                throw Malformed(soql, item.Token.Position, $"duplicate field selected: {sub.Relationship.Name}");
            }

            query.Columns[index] = sub;
        }

        return query;
    }

    /// <summary>Skips a parenthesized group (iteratively, whatever its depth); returns the index after its ')'.</summary>
    private static int SkipParenthesized(string soql, List<Token> tokens, int p)
    {
        var depth = 1;
        while (depth > 0)
        {
            var t = tokens[p++];
            switch (t.Kind)
            {
                case TokenKind.LParen:
                    depth++;
                    break;
                case TokenKind.RParen:
                    depth--;
                    break;
                case TokenKind.End:
                    throw Unexpected(soql, t);
            }
        }

        return p;
    }

    private static void CheckAggregate(string soql, AggregateFunction function, FieldPath path, Token argument)
    {
        var type = path.Field?.Type;
        var ok = function switch
        {
            AggregateFunction.Sum or AggregateFunction.Avg => path.Field is { IsNumber: true },
            AggregateFunction.Min or AggregateFunction.Max => type is not ("textarea" or "base64" or "boolean"),
            _ => type is not ("textarea" or "base64"),
        };
        if (!ok)
        {
            throw Malformed(soql, argument.Position, $"field {path.Text} does not support aggregate operator {function.ToString().ToUpperInvariant().Replace("COUNTDISTINCT", "COUNT_DISTINCT", StringComparison.Ordinal)}");
        }
    }

    private static string PathKey(FieldPath path) =>
        string.Join('.', path.References.Select(r => r.RelationshipName).Append(path.FieldName)).ToUpperInvariant();

    private static void CheckGrouping(string soql, SoqlQuery query)
    {
        var grouped = query.GroupBy.Select(PathKey).ToHashSet(StringComparer.Ordinal);
        foreach (var field in query.Select)
        {
            if (!grouped.Contains(PathKey(field)))
            {
                throw Malformed(soql, field.Position, $"Field must be grouped or aggregated: {field.FieldName}");
            }
        }

        foreach (var order in query.OrderBy)
        {
            if (order.Path is not null && !grouped.Contains(PathKey(order.Path)))
            {
                throw Malformed(soql, order.Position, $"Ordered field must be grouped or aggregated: {order.Path.FieldName}");
            }
        }
    }

    private static int ParseCount(string soql, Token t)
    {
        if (t.Kind != TokenKind.Number || !int.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw Unexpected(soql, t);
        }

        return n;
    }

    private Expr ParseOr(string soql, List<Token> tokens, ref int p, ObjectDef from, int depth)
    {
        var items = new List<Expr> { ParseUnary(soql, tokens, ref p, from, depth) };
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
            items.Add(ParseUnary(soql, tokens, ref p, from, depth));
        }

        return items.Count == 1 ? items[0] : connector == "AND" ? new AndExpr(items) : new OrExpr(items);
    }

    private Expr ParseUnary(string soql, List<Token> tokens, ref int p, ObjectDef from, int depth)
    {
        var t = tokens[p];
        if ((t.Is("NOT") || t.Kind == TokenKind.LParen) && depth >= MaxNestingDepth)
        {
            throw Malformed(soql, t.Position, $"The condition nests parentheses or NOT more than {MaxNestingDepth} levels deep; simplify the WHERE clause.");
        }

        if (t.Is("NOT"))
        {
            p++;
            return new NotExpr(ParseUnary(soql, tokens, ref p, from, depth + 1));
        }

        if (t.Kind == TokenKind.LParen)
        {
            p++;
            var inner = ParseOr(soql, tokens, ref p, from, depth + 1);
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
        if (!FieldRules.Filterable(path.Field))
        {
            throw new ApiException(400, "INVALID_FIELD", $"\n{soql}\n{new string(' ', path.Position)}^\nERROR at Row:1:Column:{path.Position + 1}\nfield '{path.FieldName}' can not be filtered in query call");
        }

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

            CheckWhereStringLength(soql, v);

            return new LikeExpr(path, v.LikeRegex, v.LikeSuffix);
        }

        throw Unexpected(soql, op);
    }

    private Literal ParseLiteral(string soql, Token t)
    {
        switch (t.Kind)
        {
            case TokenKind.String:
                CheckWhereStringLength(soql, t);
                return new Literal(LiteralKind.String, t.Value!);
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
            case TokenKind.Ident:
                if (DateLiterals.TryResolve(t.Text, _org.UtcNow, out var range, out var fiscal))
                {
                    return new Literal(LiteralKind.DateRange, t.Text, Instant: range.Start, End: range.End);
                }

                throw fiscal
                    ? Malformed(soql, t.Position, $"The emulator does not support the date literal {t.Text} (fiscal periods).")
                    : Unexpected(soql, t);
            default:
                throw Unexpected(soql, t);
        }
    }

    private static void CheckWhereStringLength(string soql, Token t)
    {
        if (t.Value!.Length > MaxWhereStringLength)
        {
            throw Malformed(soql, t.Position, $"Strings in WHERE clauses can't exceed {MaxWhereStringLength} characters.");
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

        if (literal.Kind == LiteralKind.DateRange && field.Type is "date" or "datetime")
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

        // A value that cannot be an id (not 15 or 18 letters and digits) is refused on an id or lookup field rather than
        // matching nothing: INVALID_QUERY_FILTER_OPERATOR "...ERROR at Row:1:Column:70\ninvalid ID field: 53" with the
        // caret at the field, as in a captured sf CLI (jsforce) failure; restforce issue 557, jsforce issue 684. A
        // well-formed id that names no record (or a re-cased one) still matches nothing. The empty string is left alone:
        // what Salesforce does with it is not recorded.
        if (field.IsReference && literal.Text.Length > 0 && !SalesforceId.HasIdShape(literal.Text))
        {
            throw new ApiException(400, "INVALID_QUERY_FILTER_OPERATOR",
                $"\n{soql}\n{new string(' ', path.Position)}^\nERROR at Row:1:Column:{path.Position + 1}\ninvalid ID field: {literal.Text}");
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
        if (query.IsAggregate)
        {
            return ExecuteAggregate(query, matched);
        }

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

        var parents = window.ToList();
        var children = ChildRows(query, parents, includeDeleted);
        var rows = parents.Select(r => Project(query, r, version, children)).ToList();
        return (rows.Count, rows);
    }

    /// <summary>For each subquery: the matching child records per parent id, ordered and limited per parent.</summary>
    private Dictionary<SoqlQuery, Dictionary<string, List<Record>>> ChildRows(SoqlQuery query, List<Record> parents, bool includeDeleted)
    {
        var result = new Dictionary<SoqlQuery, Dictionary<string, List<Record>>>();
        foreach (var sub in query.Columns.OfType<SoqlQuery>())
        {
            var relationship = sub.Relationship!;
            var parentIds = parents.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var byParent = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
            foreach (var child in _org.Store(relationship.Child.Name)!.All)
            {
                if ((child.IsDeleted && !includeDeleted) || SalesforceId.Normalize(child.Text(relationship.Field.Name)) is not { } parentId || !parentIds.Contains(parentId))
                {
                    continue;
                }

                if (sub.Where is null || Evaluate(sub.Where, child))
                {
                    if (!byParent.TryGetValue(parentId, out var list))
                    {
                        byParent[parentId] = list = [];
                    }

                    list.Add(child);
                }
            }

            foreach (var (id, list) in byParent.ToList())
            {
                IEnumerable<Record> ordered = sub.OrderBy.Count > 0
                    ? list.OrderBy(r => r, Comparer<Record>.Create((a, b) => CompareForOrder(sub.OrderBy, a, b)))
                    : list.OrderBy(r => r.Sequence);
                byParent[id] = (sub.Limit is { } limit ? ordered.Take(limit) : ordered).ToList();
            }

            result[sub] = byParent;
        }

        return result;
    }

    /// <summary>GROUP BY and aggregate functions: AggregateResult rows without a url (fixture 21), exprN for unaliased aggregates.</summary>
    private (int TotalSize, List<JsonObject> Records) ExecuteAggregate(SoqlQuery query, List<Record> matched)
    {
        matched.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var groups = new List<List<Record>>();
        if (query.GroupBy.Count == 0)
        {
            groups.Add(matched);
        }
        else
        {
            var byKey = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
            foreach (var record in matched)
            {
                var key = string.Join('\u0001', query.GroupBy.Select(g => Value(g, record).Value is { } v ? "=" + GroupKey(v) : "null"));
                if (!byKey.TryGetValue(key, out var group))
                {
                    byKey[key] = group = [];
                    groups.Add(group);
                }

                group.Add(record);
            }
        }

        if (query.OrderBy.Count > 0)
        {
            groups = groups.OrderBy(g => g, Comparer<List<Record>>.Create((a, b) =>
            {
                foreach (var item in query.OrderBy)
                {
                    var va = item.Aggregate is { } fa ? Aggregate(fa, a) : Value(item.Path, a[0]).Value;
                    var vb = item.Aggregate is { } fb ? Aggregate(fb, b) : Value(item.Path, b[0]).Value;
                    var result = CompareValues(va, vb, item);
                    if (result != 0)
                    {
                        return result;
                    }
                }

                return 0;
            })).ToList();
        }

        IEnumerable<List<Record>> window = groups;
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

        var rows = new List<JsonObject>();
        foreach (var group in window)
        {
            var row = new JsonObject { ["attributes"] = new JsonObject { ["type"] = "AggregateResult" } };
            foreach (var column in query.Columns)
            {
                switch (column)
                {
                    case FieldPath path:
                        row[path.FieldName] = group.Count == 0 ? null : Value(path, group[0]).Value?.DeepClone();
                        break;
                    case AggregateItem aggregate:
                        row[aggregate.Name] = Aggregate(aggregate, group);
                        break;
                }
            }

            rows.Add(row);
        }

        return (rows.Count, rows);
    }

    private static string GroupKey(JsonNode value)
    {
        var text = Json.Str(value) ?? string.Empty;
        return (SalesforceId.Normalize(text) ?? text).ToUpperInvariant();
    }

    private JsonNode? Aggregate(AggregateItem aggregate, List<Record> records)
    {
        var values = records.Select(r => Value(aggregate.Path, r).Value).Where(v => v is not null).Select(v => v!).ToList();
        switch (aggregate.Function)
        {
            case AggregateFunction.Count:
                return JsonValue.Create(values.Count);
            case AggregateFunction.CountDistinct:
                return JsonValue.Create(values.Select(GroupKey).Distinct(StringComparer.Ordinal).Count());
            case AggregateFunction.Sum or AggregateFunction.Avg:
            {
                var numbers = values.Select(v => Json.TryNumber(v, out var d) ? (decimal?)d : null).OfType<decimal>().ToList();
                if (numbers.Count == 0)
                {
                    return null;
                }

                var total = numbers.Sum();
                return JsonValue.Create((double)(aggregate.Function == AggregateFunction.Sum ? total : total / numbers.Count));
            }

            default:
            {
                JsonNode? best = null;
                foreach (var v in values)
                {
                    if (best is null)
                    {
                        best = v;
                        continue;
                    }

                    var c = CompareValues(v, best, new OrderItem(aggregate.Path, false, true));
                    if (aggregate.Function == AggregateFunction.Min ? c < 0 : c > 0)
                    {
                        best = v;
                    }
                }

                return best?.DeepClone();
            }
        }
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

            if (c is LikeExpr { Suffix: { Length: > 0 } likeSuffix } like && like.Path.References.Count == 0)
            {
                return store.EndsWith(like.Path.FieldName, likeSuffix);
            }

            if (c is OrExpr { SameFieldSuffixes: { } suffixes } && suffixes.Path.References.Count == 0 && suffixes.ByLength.All(g => g.Length > 0))
            {
                var union = new HashSet<Record>();
                foreach (var (_, values) in suffixes.ByLength)
                {
                    foreach (var suffix in values.Set)
                    {
                        union.UnionWith(store.EndsWith(suffixes.Path.FieldName, suffix));
                    }
                }

                return union;
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
            case OrExpr { SameFieldSuffixes: { } suffixes }:
            {
                var text = Json.Str(Value(suffixes.Path, record).Value);
                if (text is null)
                {
                    return false;
                }

                foreach (var (length, values) in suffixes.ByLength)
                {
                    if (text.Length >= length && values.Contains(text.AsSpan(text.Length - length)))
                    {
                        return true;
                    }
                }

                return false;
            }

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
                var found = inExpr.Values.Any(v => v.Kind == LiteralKind.DateRange ? InRange(value, v, "=") : Compare(value, field, v) == 0);
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

                if (cmp.Value.Kind == LiteralKind.DateRange)
                {
                    return InRange(value, cmp.Value, cmp.Op);
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
                    // Two well-formed ids compare in 18-character form (where no two ids differ only in case); a literal
                    // that is not a well-formed id (an 18-character id re-cased) compares as typed, so it matches nothing.
                    var left = SalesforceId.Normalize(s) ?? s;
                    return SalesforceId.Normalize(literal.Text) is { } right
                        ? string.Compare(left, right, StringComparison.OrdinalIgnoreCase)
                        : string.Compare(left, literal.Text, StringComparison.Ordinal);
                }

                return string.Compare(s, literal.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Compares a date or datetime value with a relative date literal's range (Salesforce's date literal semantics).</summary>
    private static bool InRange(JsonNode? value, Literal range, string op)
    {
        DateTimeOffset? instant = null;
        if (Json.Str(value) is { } text)
        {
            if (OrgState.TryParseDateTime(text, out var at))
            {
                instant = at;
            }
            else if (OrgState.TryParseDate(text, out var date))
            {
                instant = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }
        }

        if (instant is not { } v)
        {
            return op == "!=";
        }

        return op switch
        {
            "=" => v >= range.Instant && v < range.End,
            "!=" => v < range.Instant || v >= range.End,
            "<" => v < range.Instant,
            "<=" => v < range.End,
            ">" => v >= range.End,
            ">=" => v >= range.Instant,
            _ => false,
        };
    }

    private int CompareForOrder(List<OrderItem> order, Record a, Record b)
    {
        foreach (var item in order)
        {
            var (va, _) = Value(item.Path, a);
            var (vb, _) = Value(item.Path, b);
            var result = CompareValues(va, vb, item);
            if (result != 0)
            {
                return result;
            }
        }

        return a.Sequence.CompareTo(b.Sequence);
    }

    /// <summary>Compares two values for ORDER BY: nulls first or last as asked, numbers and booleans by value, text case-insensitively; DESC reverses.</summary>
    private static int CompareValues(JsonNode? va, JsonNode? vb, OrderItem item)
    {
        {
            int result;
            if (va is null || vb is null)
            {
                if (va is null && vb is null)
                {
                    return 0;
                }

                return va is null ? (item.NullsFirst ? -1 : 1) : (item.NullsFirst ? 1 : -1);
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

            return item.Descending ? -result : result;
        }
    }

    private JsonObject Project(SoqlQuery query, Record record, string version, Dictionary<SoqlQuery, Dictionary<string, List<Record>>>? children)
    {
        var row = new JsonObject { ["attributes"] = OrgState.Attributes(record.Def, record.Id, version) };
        foreach (var column in query.Columns)
        {
            if (column is SoqlQuery sub)
            {
                // a child relationship is a nested QueryResult, or null when no child matches (fixture 20)
                if (children is not null && children[sub].TryGetValue(record.Id, out var list) && list.Count > 0)
                {
                    var records = new JsonArray();
                    foreach (var child in list)
                    {
                        records.Add(Project(sub, child, version, null));
                    }

                    row[sub.Relationship!.Name] = new JsonObject { ["totalSize"] = list.Count, ["done"] = true, ["records"] = records };
                }
                else
                {
                    row[sub.Relationship!.Name] = null;
                }

                continue;
            }

            if (column is not FieldPath path)
            {
                continue;
            }

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

/// <summary>
/// SOQL's relative date literals (SOQL and SOSL Reference, "Date Formats and Date Literals"), resolved against the
/// emulator's clock in UTC (the emulated users' time zone); weeks start on Sunday, quarters are calendar quarters.
/// </summary>
internal static class DateLiterals
{
    private static readonly HashSet<string> Fiscal = new(StringComparer.OrdinalIgnoreCase)
    {
        "THIS_FISCAL_QUARTER", "LAST_FISCAL_QUARTER", "NEXT_FISCAL_QUARTER", "THIS_FISCAL_YEAR", "LAST_FISCAL_YEAR", "NEXT_FISCAL_YEAR",
        "LAST_N_FISCAL_QUARTERS", "NEXT_N_FISCAL_QUARTERS", "N_FISCAL_QUARTERS_AGO", "LAST_N_FISCAL_YEARS", "NEXT_N_FISCAL_YEARS", "N_FISCAL_YEARS_AGO",
    };

    /// <summary>Resolves <paramref name="text"/> to [Start, End); <paramref name="known"/> is true for literals recognised but not emulated.</summary>
    public static bool TryResolve(string text, DateTimeOffset now, out (DateTimeOffset Start, DateTimeOffset End) range, out bool known)
    {
        range = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? text : text[..colon]).ToUpperInvariant();
        known = Fiscal.Contains(name);
        var n = 0;
        if (colon >= 0 && !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out n))
        {
            return false;
        }

        var hasN = name.Contains("_N_", StringComparison.Ordinal) || name.StartsWith("N_", StringComparison.Ordinal);
        if (hasN != (colon >= 0))
        {
            return false;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        (DateOnly From, DateOnly To)? days = name switch
        {
            "YESTERDAY" => (today.AddDays(-1), today),
            "TODAY" => (today, today.AddDays(1)),
            "TOMORROW" => (today.AddDays(1), today.AddDays(2)),
            "LAST_WEEK" => (week.AddDays(-7), week),
            "THIS_WEEK" => (week, week.AddDays(7)),
            "NEXT_WEEK" => (week.AddDays(7), week.AddDays(14)),
            "LAST_MONTH" => (month.AddMonths(-1), month),
            "THIS_MONTH" => (month, month.AddMonths(1)),
            "NEXT_MONTH" => (month.AddMonths(1), month.AddMonths(2)),
            "LAST_90_DAYS" => (today.AddDays(-90), today.AddDays(1)),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(91)),
            "LAST_N_DAYS" => (today.AddDays(-n), today.AddDays(1)),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(1 + n)),
            "N_DAYS_AGO" => (today.AddDays(-n), today.AddDays(-n + 1)),
            "LAST_N_WEEKS" => (week.AddDays(-7 * n), week),
            "NEXT_N_WEEKS" => (week.AddDays(7), week.AddDays(7 + (7 * n))),
            "N_WEEKS_AGO" => (week.AddDays(-7 * n), week.AddDays(-7 * (n - 1))),
            "LAST_N_MONTHS" => (month.AddMonths(-n), month),
            "NEXT_N_MONTHS" => (month.AddMonths(1), month.AddMonths(1 + n)),
            "N_MONTHS_AGO" => (month.AddMonths(-n), month.AddMonths(-n + 1)),
            "THIS_QUARTER" => (quarter, quarter.AddMonths(3)),
            "LAST_QUARTER" => (quarter.AddMonths(-3), quarter),
            "NEXT_QUARTER" => (quarter.AddMonths(3), quarter.AddMonths(6)),
            "LAST_N_QUARTERS" => (quarter.AddMonths(-3 * n), quarter),
            "NEXT_N_QUARTERS" => (quarter.AddMonths(3), quarter.AddMonths(3 + (3 * n))),
            "N_QUARTERS_AGO" => (quarter.AddMonths(-3 * n), quarter.AddMonths(-3 * (n - 1))),
            "THIS_YEAR" => (year, year.AddYears(1)),
            "LAST_YEAR" => (year.AddYears(-1), year),
            "NEXT_YEAR" => (year.AddYears(1), year.AddYears(2)),
            "LAST_N_YEARS" => (year.AddYears(-n), year),
            "NEXT_N_YEARS" => (year.AddYears(1), year.AddYears(1 + n)),
            "N_YEARS_AGO" => (year.AddYears(-n), year.AddYears(-n + 1)),
            _ => null,
        };
        if (days is not { } d)
        {
            return false;
        }

        range = (At(d.From), At(d.To));
        return true;

        static DateTimeOffset At(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }
}
