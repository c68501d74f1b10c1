using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>A stored record: canonical field name → value (strings, numbers, booleans; dates as Salesforce-formatted strings).</summary>
internal sealed class Record
{
    public Record(ObjectDef def, string id, long sequence, Dictionary<string, JsonNode?> values)
    {
        Def = def;
        Id = id;
        Sequence = sequence;
        Values = values;
    }

    public ObjectDef Def { get; }

    public string Id { get; }

    public long Sequence { get; }

    public Dictionary<string, JsonNode?> Values { get; set; }

    public byte[]? Blob { get; set; }

    public bool IsDeleted => Json.Bool(Values.GetValueOrDefault("IsDeleted"));

    public JsonNode? this[string field] => Values.GetValueOrDefault(field);

    public string? Text(string field) => Json.Str(Values.GetValueOrDefault(field));
}

internal sealed class DuplicateRule
{
    public required string Name { get; init; }
    public required string MatchRuleName { get; init; }
    public required IReadOnlyList<string> Fields { get; init; }
    public DuplicateRuleAction Action { get; init; }
}

/// <summary>The records of one object type, with equality indexes on the indexed fields.</summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<string, Dictionary<string, HashSet<Record>>> _indexes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ends-with indexes, built on the first query that needs one: field → suffix length → upper-cased suffix → records.</summary>
    private readonly Dictionary<string, Dictionary<int, Dictionary<string, HashSet<Record>>>> _suffixes = new(StringComparer.OrdinalIgnoreCase);

    public ObjectStore(ObjectDef def)
    {
        Def = def;
        foreach (var f in def.Fields.Where(f => f.Indexed && f.Name != "Id"))
        {
            _indexes[f.Name] = new Dictionary<string, HashSet<Record>>(StringComparer.Ordinal);
        }
    }

    public ObjectDef Def { get; }

    public List<Record> All { get; } = [];

    public List<DuplicateRule> DuplicateRules { get; } = [];

    public List<ValidationRule> ValidationRules { get; } = [];

    public List<EmulatorAssignmentRule> AssignmentRules { get; } = [];

    /// <summary>The object's record types (id, definition), the default first.</summary>
    public List<(string Id, EmulatorRecordType Type)> RecordTypes { get; } = [];

    public bool IsIndexed(string field) => _indexes.ContainsKey(field);

    public void EnsureIndex(FieldDef field)
    {
        if (!field.Indexed || _indexes.ContainsKey(field.Name))
        {
            return;
        }

        _indexes[field.Name] = new Dictionary<string, HashSet<Record>>(StringComparer.Ordinal);
        foreach (var r in All.Where(r => !r.IsDeleted))
        {
            Add(field.Name, r);
        }
    }

    public static string? Key(FieldDef? field, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = Json.Str(value);
        if (text is null)
        {
            return null;
        }

        if (field is not null && field.IsReference)
        {
            return SalesforceId.Normalize(text)?.ToUpperInvariant() ?? text.ToUpperInvariant();
        }

        return field is not null && field.CaseSensitive ? text : text.ToUpperInvariant();
    }

    public void Index(Record r)
    {
        foreach (var name in _indexes.Keys)
        {
            Add(name, r);
        }

        foreach (var (name, byLength) in _suffixes)
        {
            foreach (var (length, index) in byLength)
            {
                AddSuffix(index, name, length, r);
            }
        }
    }

    /// <summary>
    /// Live records whose field ends with the suffix (compared ignoring case, as LIKE does), from an index of the field's
    /// last <c>suffix.Length</c> characters that is built on first use and kept up to date by <see cref="Index"/> and
    /// <see cref="Unindex"/>. What a real org does with a selective filter; the caller still evaluates the WHERE clause.
    /// </summary>
    public IReadOnlyCollection<Record> EndsWith(string field, string suffix)
    {
        if (!_suffixes.TryGetValue(field, out var byLength))
        {
            _suffixes[field] = byLength = [];
        }

        if (!byLength.TryGetValue(suffix.Length, out var index))
        {
            byLength[suffix.Length] = index = new Dictionary<string, HashSet<Record>>(StringComparer.Ordinal);
            foreach (var r in All.Where(r => !r.IsDeleted))
            {
                AddSuffix(index, field, suffix.Length, r);
            }
        }

        return index.TryGetValue(suffix.ToUpperInvariant(), out var set) ? set : [];
    }

    private static string? SuffixKey(string field, int length, Record r) =>
        Json.Str(r[field]) is { } text && text.Length >= length ? text[^length..].ToUpperInvariant() : null;

    private static void AddSuffix(Dictionary<string, HashSet<Record>> index, string field, int length, Record r)
    {
        if (SuffixKey(field, length, r) is not { } key)
        {
            return;
        }

        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = [];
        }

        set.Add(r);
    }

    public void Unindex(Record r)
    {
        foreach (var (name, index) in _indexes)
        {
            var key = Key(Def.Field(name), r[name]);
            if (key is not null && index.TryGetValue(key, out var set))
            {
                set.Remove(r);
                if (set.Count == 0)
                {
                    index.Remove(key);
                }
            }
        }

        foreach (var (name, byLength) in _suffixes)
        {
            foreach (var (length, index) in byLength)
            {
                if (SuffixKey(name, length, r) is { } key && index.TryGetValue(key, out var set))
                {
                    set.Remove(r);
                    if (set.Count == 0)
                    {
                        index.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>Live (not deleted) records whose indexed field equals the value; null when the field is not indexed.</summary>
    public IReadOnlyCollection<Record>? Lookup(string field, JsonNode? value)
    {
        if (!_indexes.TryGetValue(field, out var index))
        {
            return null;
        }

        var key = Key(Def.Field(field), value);
        return key is not null && index.TryGetValue(key, out var set) ? set : [];
    }

    private void Add(string name, Record r)
    {
        var key = Key(Def.Field(name), r[name]);
        if (key is null)
        {
            return;
        }

        var index = _indexes[name];
        if (!index.TryGetValue(key, out var set))
        {
            set = [];
            index[key] = set;
        }

        set.Add(r);
    }
}

/// <summary>A seeded validation rule and its compiled pattern.</summary>
internal sealed record ValidationRule(EmulatorValidationRule Rule, System.Text.RegularExpressions.Regex? Pattern);
