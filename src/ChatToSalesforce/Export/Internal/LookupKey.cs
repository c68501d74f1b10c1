using System.Text;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Export.Internal;

/// <summary>What merges lookups into one query: the object, the field matched, the fields returned (<c>Id</c> first, each
/// once, the matched field included), the filter and the match; lookups that differ only in their value share a key.</summary>
internal sealed class LookupKey : IEquatable<LookupKey>
{
    private LookupKey(string objectType, string field, string[] fields, string? filter, SalesforceLookupMatch match) =>
        (ObjectType, Field, Fields, Filter, Match) = (objectType, field, fields, filter, match);

    public string ObjectType { get; }

    public string Field { get; }

    public string[] Fields { get; }

    public string? Filter { get; }

    public SalesforceLookupMatch Match { get; }

    public static LookupKey Of(SalesforceLookup lookup)
    {
        // Stages usually ask for Id first and each field once: their list is copied as it is, without a list and a
        // joined string per lookup (a copy all the same: a stage may reuse its list).
        string[] fields = IsNormal(lookup.Fields, lookup.Field) ? [.. lookup.Fields] : [.. Normalize(lookup.Fields, lookup.Field)];
        var filter = string.IsNullOrWhiteSpace(lookup.Filter) ? null : lookup.Filter.Trim();
        return new LookupKey(lookup.ObjectType, lookup.Field, fields, filter, lookup.Match);
    }

    public bool Equals(LookupKey? other)
    {
        if (other is null || other.Match != Match || other.Fields.Length != Fields.Length
            || !string.Equals(other.ObjectType, ObjectType, StringComparison.Ordinal)
            || !string.Equals(other.Field, Field, StringComparison.Ordinal)
            || !string.Equals(other.Filter, Filter, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < Fields.Length; i++)
        {
            if (!string.Equals(other.Fields[i], Fields[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as LookupKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ObjectType, StringComparer.Ordinal);
        hash.Add(Field, StringComparer.Ordinal);
        hash.Add(Filter, StringComparer.Ordinal);
        hash.Add(Match);
        foreach (var field in Fields)
        {
            hash.Add(field, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static bool IsNormal(IReadOnlyList<string> fields, string field)
    {
        if (fields.Count == 0 || !string.Equals(fields[0], "Id", StringComparison.Ordinal))
        {
            return false;
        }

        var hasField = false;
        for (var i = 0; i < fields.Count; i++)
        {
            hasField |= string.Equals(fields[i], field, StringComparison.OrdinalIgnoreCase);
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(fields[i], fields[j], StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return hasField;
    }

    private static List<string> Normalize(IReadOnlyList<string> requested, string field)
    {
        var fields = new List<string> { "Id" };
        foreach (var f in requested)
        {
            if (!fields.Contains(f, StringComparer.OrdinalIgnoreCase))
            {
                fields.Add(f);
            }
        }

        if (!fields.Contains(field, StringComparer.OrdinalIgnoreCase))
        {
            fields.Add(field);
        }

        return fields;
    }

    public string Query(IEnumerable<string> values)
    {
        var soql = new StringBuilder("SELECT ").AppendJoin(", ", Fields).Append(" FROM ").Append(ObjectType).Append(" WHERE ");
        if (Filter is not null)
        {
            soql.Append('(').Append(Filter).Append(") AND ");
        }

        if (Match == SalesforceLookupMatch.Equals)
        {
            soql.Append(Field).Append(" IN ").Append(SoqlInChunker.InList(values));
        }
        else
        {
            soql.Append('(').AppendJoin(" OR ", values.Select(v => $"{Field} LIKE '%{Soql.EscapeLike(v)}'"))
                .Append(')');
        }

        return soql.Append(" ORDER BY LastModifiedDate DESC, Id").ToString();
    }
}
