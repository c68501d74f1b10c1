using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Salesforce;

/// <summary>
/// Field values of one Salesforce record: field API name → value, in the order they were set, with names compared as
/// Salesforce compares them (without case).
/// </summary>
/// <remarks>
/// <para>A value is what a Salesforce field holds: <see cref="string"/>, <see cref="bool"/>, a number (<see cref="int"/>,
/// <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>), a date (<see cref="DateOnly"/>), a date-time
/// (<see cref="DateTimeOffset"/>, or a <see cref="DateTime"/> whose kind is UTC or local), a time (<see cref="TimeOnly"/>),
/// or <see langword="null"/>, which clears the field when written. Anything else is refused when set.</para>
/// <para>Records read from Salesforce (<see cref="ISalesforceReader.LookupAsync"/>, <see cref="SalesforceQueryResult.Records"/>)
/// hold the values as Salesforce returned them: text, booleans and numbers; dates and date-times as text (read them with
/// <see cref="GetDateTimeOffset"/> or <see cref="GetDate"/>); relationship fields under their SOQL path, for example
/// <c>Owner.Name</c>.</para>
/// <para><see cref="ToString"/> names the fields, never their values.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "It holds a record's field values; \"Collection\" would name the container, not what it is.")]
public sealed class SalesforceFieldValues : IReadOnlyCollection<KeyValuePair<string, object?>>
{
    private readonly OrderedDictionary<string, object?> _values;

    /// <summary>Initializes empty field values.</summary>
    public SalesforceFieldValues() => _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes field values with a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The values to copy (for example another <see cref="SalesforceFieldValues"/>).</param>
    /// <exception cref="ArgumentException">A field name is empty or a value is not one a Salesforce field holds.</exception>
    public SalesforceFieldValues(IEnumerable<KeyValuePair<string, object?>> values)
        : this()
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (field, value) in values)
        {
            Set(field, value);
        }
    }

    private SalesforceFieldValues(OrderedDictionary<string, object?> values) => _values = values;

    /// <summary>Gets the number of fields.</summary>
    public int Count => _values.Count;

    /// <summary>Gets the field names, in order.</summary>
    public IEnumerable<string> Fields => _values.Keys;

    /// <summary>Gets or sets a field's value.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The value, or <see langword="null"/> when the field is absent or null (<see cref="ContainsField"/> tells them apart).</returns>
    /// <exception cref="ArgumentException">Setting a value that is not one a Salesforce field holds.</exception>
    public object? this[string field]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(field);
            return _values.TryGetValue(field, out var value) ? Exposed(value) : null;
        }

        set => Set(field, value);
    }

    /// <summary>Sets a field's value (<see langword="null"/> clears the field when written).</summary>
    /// <param name="field">The field API name.</param>
    /// <param name="value">The value.</param>
    /// <returns>These values, to chain calls.</returns>
    /// <exception cref="ArgumentException">The field name is empty or the value is not one a Salesforce field holds.</exception>
    public SalesforceFieldValues Set(string field, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        _values[field] = Normalize(field, value);
        return this;
    }

    /// <summary>Sets a field's value; the same as <see cref="Set"/>, for collection initializers.</summary>
    /// <param name="field">The field API name.</param>
    /// <param name="value">The value.</param>
    public void Add(string field, object? value) => Set(field, value);

    /// <summary>Removes a field.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>Whether the field was there.</returns>
    public bool Remove(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _values.Remove(field);
    }

    /// <summary>Gets whether the field is present (its value may be <see langword="null"/>).</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>Whether it is present.</returns>
    public bool ContainsField(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _values.ContainsKey(field);
    }

    /// <summary>Gets a field's value if it is present.</summary>
    /// <param name="field">The field API name.</param>
    /// <param name="value">The value (may be <see langword="null"/>).</param>
    /// <returns>Whether the field is present.</returns>
    public bool TryGetValue(string field, out object? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var found = _values.TryGetValue(field, out value);
        value = Exposed(value);
        return found;
    }

    /// <summary>Gets a field's value as text: text as it is, booleans as <c>true</c>/<c>false</c>, numbers, dates and
    /// date-times in Salesforce's invariant formats.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The text, or <see langword="null"/> when the field is absent or null.</returns>
    public string? GetString(string field) => this[field] switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>Gets a boolean field (a checkbox); text <c>true</c>/<c>false</c> is read too.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The value, or <see langword="null"/> when absent, null or not a boolean.</returns>
    public bool? GetBoolean(string field) => this[field] switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        _ => null,
    };

    /// <summary>Gets a number field; text in invariant format is read too.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The value, or <see langword="null"/> when absent, null or not a number.</returns>
    public decimal? GetDecimal(string field) => this[field] switch
    {
        decimal d => d,
        long l => l,
        double d when d is >= (double)decimal.MinValue and <= (double)decimal.MaxValue => (decimal)d,
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>Gets a date-time field; Salesforce's text form (<c>2024-05-01T09:30:00.000+0000</c>) is read too.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The value, or <see langword="null"/> when absent, null or not a date-time.</returns>
    public DateTimeOffset? GetDateTimeOffset(string field) => this[field] switch
    {
        DateTimeOffset d => d,
        DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        string s => ParseDateTime(s),
        _ => null,
    };

    /// <summary>Gets a date field; text <c>yyyy-MM-dd</c> is read too.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The value, or <see langword="null"/> when absent, null or not a date.</returns>
    public DateOnly? GetDate(string field) => this[field] switch
    {
        DateOnly d => d,
        DateTimeOffset d => DateOnly.FromDateTime(d.UtcDateTime),
        string s when DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        string s when ParseDateTime(s) is { } d => DateOnly.FromDateTime(d.UtcDateTime),
        _ => null,
    };

    /// <summary>A copy of these values (the values are immutable, so nothing is shared that can change).</summary>
    internal SalesforceFieldValues Clone()
    {
        var copy = new OrderedDictionary<string, object?>(_values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in _values)
        {
            copy.Add(field, value);
        }

        return new(copy);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var (field, value) in _values)
        {
            yield return new(field, Exposed(value));
        }
    }

    /// <summary>The values as they are held (long text possibly as <see cref="Utf8FieldText"/>), for the wire.</summary>
    internal OrderedDictionary<string, object?> Held => _values;

    /// <summary>
    /// Holds the text values of at least <paramref name="minLength"/> characters of <paramref name="all"/> as UTF-8, in one
    /// block for all of them (another one when a value does not fit); readers still see text. Used for a chunk's plans while its writes are in flight (see
    /// <see cref="Utf8FieldText"/>). A value that is not valid UTF-16 stays as it is.
    /// </summary>
    internal static void CompactLongText(IEnumerable<SalesforceFieldValues> all, int minLength)
    {
        var list = all as IReadOnlyCollection<SalesforceFieldValues> ?? all.ToList();
        long left = 0;
        foreach (var values in list)
        {
            foreach (var (_, value) in values._values)
            {
                if (value is string s && s.Length >= minLength)
                {
                    left += s.Length;
                }
            }
        }

        // Sized by characters (transcripts are mostly ASCII: one byte each), not by a second pass counting bytes; a
        // value that does not fit what is left starts a block that holds it and the rest at their largest.
        byte[] block = [];
        var used = 0;
        foreach (var values in list)
        {
            for (var i = 0; i < values._values.Count; i++)
            {
                if (values._values.GetAt(i).Value is not string s || s.Length < minLength)
                {
                    continue;
                }

                var status = System.Text.Unicode.Utf8.FromUtf16(s, block.AsSpan(used), out _, out var written, replaceInvalidSequences: false);
                if (status == System.Buffers.OperationStatus.DestinationTooSmall)
                {
                    block = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(left + (left / 8), (long)s.Length * 3)));
                    used = 0;
                    status = System.Text.Unicode.Utf8.FromUtf16(s, block, out _, out written, replaceInvalidSequences: false);
                }

                left -= s.Length;
                if (status == System.Buffers.OperationStatus.Done)
                {
                    values._values.SetAt(i, new Utf8FieldText(block, used, written));
                    used += written;
                }
            }
        }
    }

    private static object? Exposed(object? value) => value is Utf8FieldText text ? text.Decode() : value;

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Names the fields, never their values.</summary>
    /// <returns>For example <c>3 fields (LastName, Email, Phone)</c>.</returns>
    public override string ToString() =>
        _values.Count == 0 ? "0 fields" : $"{_values.Count} field{(_values.Count == 1 ? string.Empty : "s")} ({string.Join(", ", _values.Keys)})";

    private static DateTimeOffset? ParseDateTime(string text)
    {
        // Salesforce writes the offset without a colon (+0000), which the standard parser does not read.
        if (text.Length > 5 && text[^5] is '+' or '-' && text.AsSpan(text.Length - 4).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    private static object? Normalize(string field, object? value) => value switch
    {
        null or string or bool or decimal or long or DateTimeOffset or DateOnly or TimeOnly => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        double d when double.IsFinite(d) => d,
        float f when float.IsFinite(f) => (double)f,
        DateTime { Kind: DateTimeKind.Utc or DateTimeKind.Local } dt => new DateTimeOffset(dt),
        DateTime => throw new ArgumentException($"The value of {field} is a date-time without a time zone; give it with its offset or in UTC.", nameof(value)),
        double or float => throw new ArgumentException($"The value of {field} is not a finite number.", nameof(value)),
        _ => throw new ArgumentException(
            $"The value of {field} is not one a Salesforce field holds; use text, a boolean, a number, a date, a date-time, a time or null.",
            nameof(value)),
    };
}
