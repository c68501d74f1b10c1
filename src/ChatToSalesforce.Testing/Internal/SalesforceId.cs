namespace ChatToSalesforce.Testing.Internal;

/// <summary>Salesforce record ids: 15 case-sensitive characters plus a 3-character case-safe checksum.</summary>
internal static class SalesforceId
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string ChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static readonly System.Buffers.SearchValues<char> IdCharacters = System.Buffers.SearchValues.Create(Base62);

    /// <summary>Builds an 18-character id from a 3-character key prefix and a sequence number.</summary>
    public static string Create(string keyPrefix, long sequence)
    {
        Span<char> body = stackalloc char[10];
        var value = sequence;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            body[i] = Base62[(int)(value % 62)];
            value /= 62;
        }

        return To18(string.Concat(keyPrefix, "Em", new string(body)));
    }

    /// <summary>Appends the checksum to a 15-character id.</summary>
    public static string To18(string id15)
    {
        Span<char> suffix = stackalloc char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = id15[(chunk * 5) + i];
                if (c is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = ChecksumAlphabet[bits];
        }

        return string.Concat(id15, new string(suffix));
    }

    /// <summary>Whether the text has an id's shape: 15 or 18 ASCII letters and digits (its checksum is not checked).</summary>
    public static bool HasIdShape(string text) => text.Length is 15 or 18 && !text.AsSpan().ContainsAnyExcept(IdCharacters);

    /// <summary>
    /// Normalizes a 15- or 18-character id to 18 characters; returns null if the text is not a well-formed id. An
    /// 18-character id must carry its own checksum exactly: the checksum makes ids unique without case, but Salesforce
    /// does not restore an id's case from it, so a re-cased id (even only its last three characters) names no record
    /// (salesforce.stackexchange.com questions 130158 and 50163).
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (text is null || !HasIdShape(text))
        {
            return null;
        }

        var full = To18(text[..15]);
        if (text.Length == 18 && !string.Equals(full, text, StringComparison.Ordinal))
        {
            return null;
        }

        return full;
    }

    /// <summary>The key prefix (first three characters) of an id.</summary>
    public static string Prefix(string id) => id[..3];
}
