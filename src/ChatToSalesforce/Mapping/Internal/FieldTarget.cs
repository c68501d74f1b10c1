using System.Collections.Concurrent;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping.Internal;

/// <summary>Parses mapping targets of the form <c>&lt;Object&gt;.&lt;Field&gt;</c>.</summary>
/// <remarks>
/// Targets come from configuration, so there are few distinct ones; they are parsed (and joined) once and remembered,
/// instead of allocating substrings several times per export. The memo stops growing past <see cref="MaxRemembered"/>.
/// </remarks>
internal static class FieldTarget
{
    internal const int MaxRemembered = 4096;

    private static readonly ConcurrentDictionary<string, (string Object, string Field, bool Valid)> Parsed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Object, string Field), string> Joined = new();

    public static bool TryParse(string? target, out string objectType, out string field)
    {
        objectType = string.Empty;
        field = string.Empty;
        if (string.IsNullOrWhiteSpace(target))
        {
            return false;
        }

        if (!Parsed.TryGetValue(target, out var parsed))
        {
            parsed = Parse(target);
            if (Parsed.Count < MaxRemembered)
            {
                Parsed.TryAdd(target, parsed);
            }
        }

        (objectType, field) = (parsed.Object, parsed.Field);
        return parsed.Valid;
    }

    /// <summary>Returns <c>Object.Field</c> (for messages), built once per pair.</summary>
    public static string Name(string objectType, string field)
    {
        if (Joined.TryGetValue((objectType, field), out var name))
        {
            return name;
        }

        name = objectType + "." + field;
        if (Joined.Count < MaxRemembered)
        {
            Joined.TryAdd((objectType, field), name);
        }

        return name;
    }

    private static (string Object, string Field, bool Valid) Parse(string target)
    {
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == target.Length - 1 || target.IndexOf('.', dot + 1) >= 0)
        {
            return (string.Empty, string.Empty, false);
        }

        var objectType = target[..dot];
        var field = target[(dot + 1)..];
        return (objectType, field, Soql.IsIdentifier(objectType) && Soql.IsIdentifier(field));
    }
}
