using System.Globalization;
using System.Text;

namespace ChatToSalesforce.Export.Internal;

/// <summary>The one rule for file names sent to Salesforce (<c>PathOnClient</c>, <c>Title</c>, multipart headers).</summary>
/// <remarks>
/// Control characters, quotes, path separators and characters Windows forbids become <c>_</c>; surrounding spaces and
/// dots go; an empty or reserved name becomes <c>attachment-{n}</c>; a long name is cut (keeping its extension) to
/// <see cref="MaxLength"/> characters without splitting a surrogate pair. A name that is only an extension (<c>.env</c>)
/// keeps it as its title.
/// </remarks>
internal static class AttachmentNames
{
    /// <summary>Characters kept of a name (ContentVersion.PathOnClient holds 500, Title 255).</summary>
    internal const int MaxLength = 200;

    /// <summary>The device names Windows reserves, with or without an extension: CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 (and the superscript ¹²³ forms).</summary>
    private static readonly string[] Reserved =
    [
        "CON", "PRN", "AUX", "NUL",
        .. Enumerable.Range(0, 10).SelectMany(n => new[] { "COM" + n.ToString(CultureInfo.InvariantCulture), "LPT" + n.ToString(CultureInfo.InvariantCulture) }),
        "COM\u00B9", "COM\u00B2", "COM\u00B3", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    ];

    /// <summary>Makes a file name safe for every path.</summary>
    /// <param name="name">The host's file name (untrusted).</param>
    /// <param name="index">The attachment's position (1-based), for the fallback name.</param>
    /// <returns>The safe name.</returns>
    public static string Safe(string? name, int index)
    {
        var builder = new StringBuilder(name?.Length ?? 0);
        foreach (var c in name ?? string.Empty)
        {
            builder.Append(char.IsControl(c) || c is '"' or '\'' or '/' or '\\' or ':' or '*' or '?' or '<' or '>' or '|' or '\u2028' or '\u2029' ? '_' : c);
        }

        var safe = builder.ToString().Trim().Trim('.').Trim();
        var stem = safe.Split('.')[0];
        if (safe.Length == 0 || safe.All(c => c == '_') || Reserved.Contains(stem.TrimEnd(), StringComparer.OrdinalIgnoreCase))
        {
            var extension = Path.GetExtension(name ?? string.Empty);
            safe = "attachment-" + index.ToString(CultureInfo.InvariantCulture) + (IsPlainExtension(extension) ? extension : string.Empty);
        }

        if (name is not null && name.TrimStart().StartsWith('.') && safe.Length > 0 && !safe.StartsWith("attachment-", StringComparison.Ordinal))
        {
            // ".env": a dotfile keeps its name (the leading dot would leave an empty title).
            safe = name.Trim()[0] + safe;
        }

        if (safe.Length > MaxLength)
        {
            var extension = Path.GetExtension(safe);
            extension = extension.Length is > 0 and <= 16 ? extension : string.Empty;
            var cut = MaxLength - extension.Length;
            if (char.IsHighSurrogate(safe[cut - 1]))
            {
                cut--;
            }

            safe = safe[..cut] + extension;
        }

        return safe;
    }

    /// <summary>The ContentVersion title of a safe name: the name without its extension, or the whole name when that is empty.</summary>
    public static string Title(string safeName)
    {
        var title = Path.GetFileNameWithoutExtension(safeName);
        return string.IsNullOrWhiteSpace(title) ? safeName : title;
    }

    private static bool IsPlainExtension(string extension) =>
        extension.Length is > 1 and <= 16 && extension.Skip(1).All(char.IsAsciiLetterOrDigit);
}
