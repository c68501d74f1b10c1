using System.Globalization;
using System.Text;

namespace ChatToSalesforce.Cli;

/// <summary>
/// The one escaping every console line of the CLI goes through: text that comes from a file name, a conversation file,
/// the configuration or Salesforce is shown with its control characters escaped, so it can neither start a new (fake)
/// log line, move the cursor, recolour the terminal, nor reorder the text around it.
/// </summary>
internal static class ConsoleText
{
    /// <summary>
    /// Escapes CR, LF and tab as <c>\r</c>, <c>\n</c>, <c>\t</c>, and every other control character (C0, DEL, C1, ESC),
    /// the Unicode line and paragraph separators and the bidirectional overrides and isolates as <c>\uXXXX</c>.
    /// </summary>
    /// <param name="text">Text from outside the program; <see langword="null"/> is empty.</param>
    /// <returns>The text, safe to print on one console line.</returns>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsEscape(c))
            {
                sb.Append(c);
                continue;
            }

            sb.Append(c switch
            {
                '\r' => @"\r",
                '\n' => @"\n",
                '\t' => @"\t",
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }

        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) // C0 (including CR, LF, ESC), DEL and C1
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || c is >= '\u202A' and <= '\u202E' // bidirectional embeddings and overrides
        || c is >= '\u2066' and <= '\u2069' // bidirectional isolates
        || c is '\u200E' or '\u200F' or '\u061C'; // direction marks
}
