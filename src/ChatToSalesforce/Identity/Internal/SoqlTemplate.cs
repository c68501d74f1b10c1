using System.Text;
using System.Text.RegularExpressions;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity.Internal;

/// <summary>SOQL with <c>{!visitor.email}</c>-style placeholders bound as escaped literals (never concatenated raw).</summary>
internal static partial class SoqlTemplate
{
    /// <summary>Checks a template; returns an error text or <see langword="null"/>.</summary>
    public static string? Validate(string? soql)
    {
        if (string.IsNullOrWhiteSpace(soql))
        {
            return "is empty; write a query such as \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\".";
        }

        if (!soql.TrimStart().StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase)
            || !Regex.IsMatch(soql, @"^\s*SELECT\s+(?:[^,]+?,\s*)*?Id\s*(?:,|\s+FROM\b)", RegexOptions.IgnoreCase | RegexOptions.Singleline))
        {
            return "must be a SELECT that selects Id, for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\".";
        }

        foreach (Match m in Placeholder().Matches(soql))
        {
            if (ConversationValues.Validate(m.Groups[1].Value) is { } problem)
            {
                return $"placeholder {m.Value} {problem}.";
            }
        }

        var withoutPlaceholders = Placeholder().Replace(soql, "''");
        if (withoutPlaceholders.Contains('{', StringComparison.Ordinal))
        {
            return "has a malformed placeholder; write placeholders as {!visitor.email} or {!custom:key}.";
        }

        return null;
    }

    /// <summary>Binds placeholders; returns <see langword="null"/> when a placeholder has no value.</summary>
    public static string? Bind(string soql, Conversation conversation)
    {
        var missing = false;
        var bound = Placeholder().Replace(soql, m =>
        {
            var value = ConversationValues.Read(conversation, m.Groups[1].Value);
            if (value is null)
            {
                missing = true;
                return "''";
            }

            return Soql.Quote(value);
        });
        return missing ? null : bound;
    }

    /// <summary>Placeholder names in order of appearance.</summary>
    public static IEnumerable<string> Placeholders(string soql)
    {
        var sb = new StringBuilder();
        foreach (Match m in Placeholder().Matches(soql))
        {
            yield return m.Groups[1].Value;
        }
    }

    [GeneratedRegex(@"\{!\s*([^}]+?)\s*\}")]
    private static partial Regex Placeholder();
}
