using ChatToSalesforce.Conversations.Internal;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity.Internal;

/// <summary>
/// An admin-written SOQL query with <c>{!visitor.email}</c>-style placeholders, parsed once and bound many times.
/// The one parser of SOQL templates: identification rules use it, and so can any later feature that runs an
/// admin's query ("find a record by SOQL").
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Parse"/> accepts a single <c>SELECT</c> (sub-queries inside parentheses allowed) and rejects anything
/// that writes (<c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c>, <c>UPSERT</c>, <c>MERGE</c>, <c>UNDELETE</c>, including
/// <c>FOR UPDATE</c>), a <c>;</c>, or a second top-level statement.
/// </para>
/// <para>
/// A placeholder stands for one whole value: right after a comparison operator (<c>= != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>),
/// after <c>LIKE</c>, or as an item of an <c>IN</c>/<c>NOT IN</c>/<c>INCLUDES</c>/<c>EXCLUDES</c> list. Never inside
/// quotes, never where a field or object name goes. <see cref="Bind(Func{string, string?})"/> writes each value as a
/// quoted literal through <see cref="Soql"/> (for <c>LIKE</c>, with <c>_</c>, <c>%</c> and <c>\</c> escaped, so the
/// value matches literally).
/// </para>
/// <para>Positions in error messages count characters from 1.</para>
/// </remarks>
internal sealed class SoqlTemplate
{
    private const string Example = "\"SELECT Id FROM Contact WHERE Email = {!visitor.email}\"";
    private const string WhereValuesGo = "a placeholder stands only for a whole value: after a comparison operator (=, !=, <>, <, <=, >, >=, LIKE) or as an item of an IN (...) list, for example Email = {!visitor.email}";

    private static readonly HashSet<string> WritingWords = new(StringComparer.OrdinalIgnoreCase) { "INSERT", "UPDATE", "DELETE", "UPSERT", "MERGE", "UNDELETE" };
    private static readonly HashSet<string> ListOperators = new(StringComparer.OrdinalIgnoreCase) { "IN", "INCLUDES", "EXCLUDES" };
    private static readonly HashSet<string> AfterValueWords = new(StringComparer.OrdinalIgnoreCase) { "AND", "OR", "ORDER", "GROUP", "LIMIT", "OFFSET", "HAVING", "WITH", "FOR" };
    private static readonly HashSet<string> NameBeforeWords = new(StringComparer.OrdinalIgnoreCase) { "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "BY", "HAVING", "TYPEOF", "USING", "SCOPE" };

    // Templates come from configuration: a handful per application. The cap keeps a misuse from growing it.
    private static readonly ConcurrentDictionary<string, SoqlTemplate?> ParsedTemplates = new(StringComparer.Ordinal);

    private readonly string _text;

    private SoqlTemplate(string text, string objectType, IReadOnlyList<string> selectedFields, IReadOnlyList<SoqlPlaceholder> placeholders)
    {
        _text = text;
        ObjectType = objectType;
        SelectedFields = selectedFields;
        Placeholders = placeholders;
    }

    /// <summary>The object of the top-level <c>FROM</c>.</summary>
    public string ObjectType { get; }

    /// <summary>The plain fields of the top-level <c>SELECT</c> list (functions and sub-queries are left out).</summary>
    public IReadOnlyList<string> SelectedFields { get; }

    /// <summary>The placeholders in order of appearance.</summary>
    public IReadOnlyList<SoqlPlaceholder> Placeholders { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="checkName">Checks a placeholder's name; returns what is wrong with it, or <see langword="null"/>. Unchecked when omitted.</param>
    /// <returns>The template, or the errors (each with its position).</returns>
    public static SoqlTemplateParseResult Parse(string? template, Func<string, string?>? checkName = null)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return SoqlTemplateParseResult.Failed([new SoqlTemplateError(1, $"is empty; write a query such as {Example}.")]);
        }

        var errors = new List<SoqlTemplateError>();
        var tokens = Tokenize(template, errors);
        if (tokens.Count == 0 || !tokens[0].Is("SELECT"))
        {
            var first = tokens.Count == 0 ? null : tokens[0];
            var what = first is null ? "no statement" : $"'{Shown(first.Text)}'";
            errors.Insert(0, new SoqlTemplateError(first?.Position ?? 1, $"must be a single SELECT query, but it starts with {what} at position {first?.Position ?? 1}; write for example {Example}."));
            return SoqlTemplateParseResult.Failed(errors);
        }

        var structure = new Walker(tokens, errors, checkName);
        structure.Run();
        errors.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        return errors.Count > 0
            ? SoqlTemplateParseResult.Failed(errors)
            : SoqlTemplateParseResult.Parsed(new SoqlTemplate(template, structure.ObjectType!, structure.SelectedFields, structure.Placeholders));
    }

    /// <summary>Checks the template of an identification rule: a valid template, placeholders naming conversation values, and <c>Id</c> selected.</summary>
    /// <param name="template">The rule's <c>Soql</c>.</param>
    /// <returns>The problems in the user's terms (empty when the template is fine).</returns>
    public static IReadOnlyList<string> ValidateForConversation(string? template)
    {
        var result = Parse(template, ConversationValues.Validate);
        if (!result.Succeeded)
        {
            return result.Errors.Select(e => e.Message).ToList();
        }

        return result.Template!.SelectedFields.Contains("Id", StringComparer.OrdinalIgnoreCase)
            ? []
            : [$"must be a SELECT that selects Id, for example {Example}."];
    }

    /// <summary>Binds an identification rule's template to a conversation; <see langword="null"/> when the template is invalid or a placeholder has no value.</summary>
    /// <param name="template">The rule's <c>Soql</c> (validated with the options).</param>
    /// <param name="conversation">The conversation whose values fill the placeholders.</param>
    /// <returns>The query, or <see langword="null"/>.</returns>
    public static string? Bind(string template, Conversation conversation) => Cached(template)?.Bind(conversation);

    /// <summary>The parsed form of a configured template (parsed once, cached); <see langword="null"/> when it is invalid.</summary>
    /// <param name="template">The rule's <c>Soql</c>.</param>
    /// <returns>The template, or <see langword="null"/>.</returns>
    public static SoqlTemplate? Cached(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!ParsedTemplates.TryGetValue(template, out var parsed))
        {
            parsed = Parse(template, ConversationValues.Validate).Template;
            if (ParsedTemplates.Count < 256)
            {
                ParsedTemplates.TryAdd(template, parsed);
            }
        }

        return parsed;
    }

    /// <summary>Binds the placeholders to a conversation's values.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <returns>The query, or <see langword="null"/> when a placeholder has no value.</returns>
    public string? Bind(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return Bind(name => ConversationValues.Read(conversation, name));
    }

    /// <summary>Binds the placeholders: each value becomes one quoted, escaped literal.</summary>
    /// <param name="valueOf">Reads a placeholder's value by name; <see langword="null"/> when it has none.</param>
    /// <returns>The query, or <see langword="null"/> when a placeholder has no value.</returns>
    public string? Bind(Func<string, string?> valueOf)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        var sb = new StringBuilder(_text.Length + 32);
        var at = 0;
        foreach (var p in Placeholders)
        {
            var value = valueOf(p.Name);
            if (value is null)
            {
                return null;
            }

            sb.Append(_text, at, p.Position - 1 - at);
            sb.Append('\'').Append(p.Kind == SoqlPlaceholderKind.LikePattern ? Soql.EscapeLike(value) : Soql.Escape(value)).Append('\'');
            at = p.Position - 1 + p.Length;
        }

        return sb.Append(_text, at, _text.Length - at).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => _text;

    private static List<Token> Tokenize(string text, List<SoqlTemplateError> errors)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '\'')
            {
                i = ReadString(text, i, errors);
                tokens.Add(new Token(TokenKind.Value, text[start..i], start + 1));
            }
            else if (c == '{' && i + 1 < text.Length && text[i + 1] == '!')
            {
                var end = text.IndexOfAny(['}', '{', '\'', '\r', '\n'], i + 2);
                var name = end < 0 || text[end] != '}' ? "" : text[(i + 2)..end].Trim();
                if (name.Length == 0)
                {
                    errors.Add(Malformed(start));
                    i = end < 0 ? text.Length : end + (text[end] == '}' ? 1 : 0);
                    continue;
                }

                i = end + 1;
                tokens.Add(new Token(TokenKind.Placeholder, text[start..i], start + 1, name));
            }
            else if (c is '{' or '}')
            {
                errors.Add(Malformed(start));
                var close = c == '{' ? text.IndexOfAny(['}', '\r', '\n'], i) : -1;
                i = close >= 0 && text[close] == '}' ? close + 1 : i + 1;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'
                    || (text[i] == ':' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start + 1));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or ':' or '-' or '+'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Value, text[start..i], start + 1));
            }
            else if (c is '=' or '<' or '>' || (c == '!' && i + 1 < text.Length && text[i + 1] == '='))
            {
                i++;
                if (i < text.Length && ((c is '<' or '!' && text[i] == '=') || (c == '<' && text[i] == '>') || (c == '>' && text[i] == '=')))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Operator, text[start..i], start + 1));
            }
            else if (c is '(' or ')' or ',')
            {
                i++;
                tokens.Add(new Token(c == ',' ? TokenKind.Comma : c == '(' ? TokenKind.Open : TokenKind.Close, text[start..i], start + 1));
            }
            else if (c == ';')
            {
                // The statement ends here: whatever follows is a second statement, reported as this one error.
                errors.Add(new SoqlTemplateError(start + 1, $"has ';' at position {start + 1}: a template is one SELECT query, with no ';' and nothing after it."));
                break;
            }
            else if (c == '"')
            {
                errors.Add(new SoqlTemplateError(start + 1, $"has '\"' at position {start + 1}: SOQL quotes text with single quotes, and a placeholder needs no quotes at all ({WhereValuesGo})."));
                var close = text.IndexOf('"', i + 1);
                i = close < 0 ? text.Length : close + 1;
            }
            else
            {
                errors.Add(new SoqlTemplateError(start + 1, $"has {Shown(c)} at position {start + 1}, which a SOQL query cannot contain there."));
                while (i < text.Length && text[i] == c)
                {
                    i++;
                }
            }
        }

        return tokens;
    }

    // Reads a quoted literal from its opening quote; returns the index after its closing quote. A placeholder inside it is an error.
    private static int ReadString(string text, int start, List<SoqlTemplateError> errors)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '\'':
                    return i + 1;
                case '{' when i + 1 < text.Length && text[i + 1] == '!':
                    var end = text.IndexOf('}', i);
                    var shown = end < 0 ? "{!" : text[i..(end + 1)];
                    errors.Add(new SoqlTemplateError(i + 1, $"has the placeholder {Shown(shown)} inside quotes at position {i + 1}: remove the quotes around it; a placeholder is bound as a quoted, escaped value by itself ({WhereValuesGo})."));
                    i += 2;
                    continue;
                default:
                    i++;
                    continue;
            }
        }

        errors.Add(new SoqlTemplateError(start + 1, $"has a quote at position {start + 1} that is never closed; close the text value with ' (a placeholder needs no quotes)."));
        return text.Length;
    }

    private static SoqlTemplateError Malformed(int index) =>
        new(index + 1, $"has a malformed placeholder at position {index + 1}; write placeholders as {{!visitor.email}} or {{!custom:key}}.");

    private static string Shown(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || c > '~'
            ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : "'" + c + "'";

    private static string Shown(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Length > 40 ? text[..40] + "…" : text)
        {
            sb.Append(char.IsControl(c) ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c);
        }

        return sb.ToString();
    }

    private enum TokenKind
    {
        Word,
        Value,
        Operator,
        Placeholder,
        Open,
        Close,
        Comma,
    }

    private enum Clause
    {
        Select,
        From,
        Where,
        Other,
    }

    private enum Frame
    {
        Query,
        Group,
        ValueList,
    }

    private sealed record Token(TokenKind Kind, string Text, int Position, string? Name = null)
    {
        public bool Is(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Walks the tokens once: statement shape, clauses, parentheses and each placeholder's position.</summary>
    private sealed class Walker(List<Token> tokens, List<SoqlTemplateError> errors, Func<string, string?>? checkName)
    {
        private readonly Stack<(Frame Frame, Clause Clause)> _frames = new();
        private bool _sawFrom;

        public string? ObjectType { get; private set; }

        public List<string> SelectedFields { get; } = [];

        public List<SoqlPlaceholder> Placeholders { get; } = [];

        public void Run()
        {
            var frame = Frame.Query;
            var clause = Clause.Select;
            var topLevelSelects = 0;
            for (var i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i];
                var previous = i > 0 ? tokens[i - 1] : null;
                var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
                switch (t.Kind)
                {
                    case TokenKind.Word when WritingWords.Contains(t.Text):
                        errors.Add(new SoqlTemplateError(t.Position, $"has '{t.Text}' at position {t.Position}: a template only reads; INSERT, UPDATE, DELETE, UPSERT, MERGE, UNDELETE and FOR UPDATE are not allowed."));
                        break;
                    case TokenKind.Word when t.Is("SELECT"):
                        if (_frames.Count == 0 && ++topLevelSelects > 1)
                        {
                            errors.Add(new SoqlTemplateError(t.Position, $"has a second SELECT at position {t.Position}: a template is one query (a sub-query goes inside parentheses, for example Id IN (SELECT ContactId FROM Case))."));
                        }

                        clause = Clause.Select;
                        break;
                    case TokenKind.Word when t.Is("FROM"):
                        clause = Clause.From;
                        if (_frames.Count == 0 && !_sawFrom)
                        {
                            _sawFrom = true;
                            if (next is { Kind: TokenKind.Word } && Soql.IsIdentifier(next.Text))
                            {
                                ObjectType = next.Text;
                            }
                            else if (next?.Kind != TokenKind.Placeholder)
                            {
                                errors.Add(new SoqlTemplateError(t.Position, $"has FROM at position {t.Position} without an object after it; write for example {Example}."));
                            }
                        }

                        break;
                    case TokenKind.Word when t.Is("WHERE") || t.Is("HAVING"):
                        clause = Clause.Where;
                        break;
                    case TokenKind.Word when t.Is("ORDER") || t.Is("GROUP") || t.Is("LIMIT") || t.Is("OFFSET") || t.Is("WITH") || t.Is("FOR"):
                        clause = Clause.Other;
                        break;
                    case TokenKind.Word when _frames.Count == 0 && clause == Clause.Select && previous is not null && (previous.Is("SELECT") || previous.Kind == TokenKind.Comma) && next?.Kind != TokenKind.Open:
                        SelectedFields.Add(t.Text);
                        break;
                    case TokenKind.Open:
                        _frames.Push((frame, clause));
                        frame = next is not null && next.Is("SELECT") ? Frame.Query
                            : previous is not null && ListOperators.Contains(previous.Text) && previous.Kind == TokenKind.Word ? Frame.ValueList
                            : Frame.Group;
                        break;
                    case TokenKind.Close:
                        if (_frames.Count == 0)
                        {
                            errors.Add(new SoqlTemplateError(t.Position, $"has ')' at position {t.Position} without a matching '('."));
                            break;
                        }

                        (frame, clause) = _frames.Pop();
                        break;
                    case TokenKind.Placeholder:
                        CheckPlaceholder(t, previous, next, frame, clause);
                        break;
                }
            }

            if (_frames.Count > 0)
            {
                var open = tokens.Last(t => t.Kind == TokenKind.Open);
                errors.Add(new SoqlTemplateError(open.Position, $"has a '(' that is never closed (the last one is at position {open.Position})."));
            }

            if (!_sawFrom)
            {
                errors.Add(new SoqlTemplateError(tokens[0].Position, $"has no FROM: the SELECT at position {tokens[0].Position} must name the object to read, for example {Example}."));
            }
        }

        private void CheckPlaceholder(Token t, Token? previous, Token? next, Frame frame, Clause clause)
        {
            if (checkName?.Invoke(t.Name!) is { } nameProblem)
            {
                errors.Add(new SoqlTemplateError(t.Position, $"has the placeholder {Shown(t.Text)} at position {t.Position}: {nameProblem}."));
                return;
            }

            var inList = frame == Frame.ValueList && previous?.Kind is TokenKind.Open or TokenKind.Comma;
            var afterOperator = previous is not null && (previous.Kind == TokenKind.Operator || previous.Is("LIKE"));
            var valueEnds = next is null
                || (inList ? next.Kind is TokenKind.Comma or TokenKind.Close
                    : next.Kind == TokenKind.Close || (next.Kind == TokenKind.Word && AfterValueWords.Contains(next.Text)));
            if (clause == Clause.Where && (inList || afterOperator) && valueEnds)
            {
                var kind = !inList && previous!.Is("LIKE") ? SoqlPlaceholderKind.LikePattern : SoqlPlaceholderKind.Value;
                Placeholders.Add(new SoqlPlaceholder(t.Name!, t.Position, t.Text.Length, kind));
                return;
            }

            var namePosition = clause is Clause.Select or Clause.From
                || (previous is not null && (previous.Kind == TokenKind.Comma || NameBeforeWords.Contains(previous.Text)) && previous.Kind != TokenKind.Value && !inList)
                || (next is not null && (next.Kind == TokenKind.Operator || next.Is("LIKE") || next.Is("IN") || next.Is("NOT") || next.Is("INCLUDES") || next.Is("EXCLUDES")));
            errors.Add(new SoqlTemplateError(t.Position, namePosition
                ? $"has the placeholder {Shown(t.Text)} at position {t.Position} where a field or object name goes; {WhereValuesGo}."
                : $"has the placeholder {Shown(t.Text)} at position {t.Position} where a whole value cannot go; {WhereValuesGo}."));
        }
    }
}
