using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Identity.Internal;

namespace ChatToSalesforce.Actions;

/// <summary>
/// An admin-written "find a record by SOQL" query with placeholders such as <c>{!Visitor.Email}</c>, validated once when
/// the bot action is configured and bound many times.
/// </summary>
/// <remarks>
/// <para>Only one <c>SELECT</c> is accepted. A placeholder stands for one whole value: after a comparison operator or
/// <c>LIKE</c>, or as an item of an <c>IN (...)</c> list; it is bound as one quoted, escaped literal (in <c>LIKE</c> its
/// <c>%</c> and <c>_</c> match literally). A placeholder inside quotes, in a field or object position, a placeholder
/// name that is not a conversation value (<c>visitor.email</c>, ..., <c>custom:&lt;key&gt;</c>), any writing word
/// (<c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c>, <c>UPSERT</c>, <c>MERGE</c>, <c>UNDELETE</c>, <c>FOR UPDATE</c>), a
/// <c>;</c> or a second statement is rejected, naming the position (counted in characters from 1).</para>
/// <para>Only the fields of the <c>SELECT</c> list can be read back. The first row wins: the query is sent with
/// <c>LIMIT 1</c> (added, or in place of a larger <c>LIMIT</c> of its own).</para>
/// </remarks>
public sealed class BotSoqlTemplate
{
    private readonly SoqlTemplate _template;

    private BotSoqlTemplate(SoqlTemplate template, string text)
    {
        _template = template;
        Text = text;
    }

    /// <summary>Gets the template as written.</summary>
    public string Text { get; }

    /// <summary>Gets the object the query reads (its top-level <c>FROM</c>).</summary>
    public string ObjectType => _template.ObjectType;

    /// <summary>Gets the fields of the <c>SELECT</c> list: the only fields a bot can read back.</summary>
    public IReadOnlyList<string> SelectedFields => _template.SelectedFields;

    /// <summary>Gets the placeholder names, in order of appearance (for example <c>Visitor.Email</c>).</summary>
    public IReadOnlyList<string> Placeholders => _template.Placeholders.Select(p => p.Name).ToArray();

    /// <summary>Checks a template without throwing.</summary>
    /// <param name="template">The template text.</param>
    /// <returns>The problems, each naming its position; empty when the template is valid.</returns>
    public static IReadOnlyList<string> Validate(string? template)
    {
        var parsed = SoqlTemplate.Parse(template, ConversationValues.Validate);
        return parsed.Succeeded ? [] : parsed.Errors.Select(e => "The template " + e.Message).ToArray();
    }

    /// <summary>Parses and validates a template.</summary>
    /// <param name="template">The template text, for example <c>SELECT Id, Name FROM Contact WHERE Email = {!Visitor.Email}</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ExportConfigurationException">The template is not a single safe SELECT (every problem is named with its position).</exception>
    public static BotSoqlTemplate Parse(string template)
    {
        var parsed = SoqlTemplate.Parse(template, ConversationValues.Validate);
        if (!parsed.Succeeded)
        {
            throw new ExportConfigurationException("Template", "the template " + string.Join(" It also ", parsed.Errors.Select(e => e.Message)));
        }

        return new BotSoqlTemplate(parsed.Template!, template);
    }

    /// <summary>Binds the placeholders; <see langword="null"/> names the first placeholder without a value.</summary>
    internal string? Bind(Func<string, string?> valueOf, out string? missing)
    {
        string? first = null;
        var soql = _template.Bind(name =>
        {
            var value = valueOf(name);
            first ??= value is null ? name : null;
            return value;
        });
        missing = first;
        // The first row wins: no more is read, also when the template's own LIMIT is larger.
        return soql is null ? null : Actions.Internal.SoqlLimit.AtMost(soql, 1);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
