using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity.Internal;

/// <summary>How a placeholder's value is written.</summary>
internal enum SoqlPlaceholderKind
{
    /// <summary>A quoted literal (<see cref="Soql.Quote"/>).</summary>
    Value,

    /// <summary>A quoted LIKE pattern whose <c>_</c>, <c>%</c> and <c>\</c> are escaped (<see cref="Soql.EscapeLike"/>): it matches the value literally.</summary>
    LikePattern,
}

/// <summary>A placeholder of a <see cref="SoqlTemplate"/>.</summary>
/// <param name="Name">The name between <c>{!</c> and <c>}</c>, trimmed (for example <c>visitor.email</c> or <c>custom:Member Id</c>).</param>
/// <param name="Position">Where it starts in the template, counting from 1.</param>
/// <param name="Length">Its length in the template, braces included.</param>
/// <param name="Kind">How its value is written.</param>
internal sealed record SoqlPlaceholder(string Name, int Position, int Length, SoqlPlaceholderKind Kind);

/// <summary>A problem found in a template: where (counting from 1) and what, in the user's terms.</summary>
/// <param name="Position">The character position, counting from 1.</param>
/// <param name="Message">The message, written to follow the template's name (for example "Identity.Rules[0].Soql: " + message).</param>
internal sealed record SoqlTemplateError(int Position, string Message);

/// <summary>What <see cref="SoqlTemplate.Parse"/> found: the template, or the errors.</summary>
internal sealed class SoqlTemplateParseResult
{
    private SoqlTemplateParseResult(SoqlTemplate? template, IReadOnlyList<SoqlTemplateError> errors)
    {
        Template = template;
        Errors = errors;
    }

    /// <summary>The parsed template; <see langword="null"/> when <see cref="Errors"/> is not empty.</summary>
    public SoqlTemplate? Template { get; }

    /// <summary>The problems, in order of position.</summary>
    public IReadOnlyList<SoqlTemplateError> Errors { get; }

    /// <summary>Whether the template parsed without errors.</summary>
    public bool Succeeded => Template is not null;

    internal static SoqlTemplateParseResult Parsed(SoqlTemplate template) => new(template, []);

    internal static SoqlTemplateParseResult Failed(IReadOnlyList<SoqlTemplateError> errors) => new(null, errors);
}
