using System.Text;

namespace ChatToSalesforce.Salesforce;

/// <summary>The one place SOQL literals are built. Every query the SDK issues quotes its values through here.</summary>
/// <remarks>Escapes follow Salesforce's quoted-string rules: <c>\\ \' \" \n \r \t \b \f</c>, plus <c>\_</c> and <c>\%</c> inside LIKE patterns.</remarks>
public static class Soql
{
    /// <summary>Escapes a value for use inside a single-quoted SOQL string literal (without the quotes).</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The escaped value.</returns>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return EscapeCore(value, like: false);
    }

    /// <summary>Escapes a value for use inside a LIKE pattern (also escaping <c>_</c> and <c>%</c>), without the quotes.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The escaped value.</returns>
    public static string EscapeLike(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return EscapeCore(value, like: true);
    }

    /// <summary>Quotes a value as a SOQL string literal: <c>'...'</c> with its content escaped.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The literal.</returns>
    public static string Quote(string value) => "'" + Escape(value) + "'";

    /// <summary>Checks that a name (sObject or field) is a plain API identifier, so it can be placed in a query unquoted.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when it contains only letters, digits, underscores and (for relationship paths) dots.</returns>
    public static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static string EscapeCore(string value, bool like)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? replacement = c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                '_' when like => "\\_",
                '%' when like => "\\%",
                _ => null,
            };

            if (replacement is null)
            {
                sb?.Append(c);
                continue;
            }

            sb ??= new StringBuilder(value.Length + 8).Append(value, 0, i);
            sb.Append(replacement);
        }

        return sb?.ToString() ?? value;
    }
}
