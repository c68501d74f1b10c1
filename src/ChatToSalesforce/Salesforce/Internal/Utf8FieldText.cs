using System.Text;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// A long text value (a transcript) held as UTF-8 in a block shared with the other long values of a chunk, while the
/// chunk's writes are in flight (see <see cref="SalesforceFieldValues.CompactLongText"/>). Readers of
/// <see cref="SalesforceFieldValues"/> see the text; the wire writes the bytes as they are.
/// </summary>
/// <remarks>
/// Why: a chunk's two hundred transcripts (about 4.6 KB each as strings) live from the moment they are formatted until
/// the write's answer is read, across a round trip to Salesforce, so the garbage collector copied each of them into its
/// older generations (and paused the process to do so). In one block they are one object with nothing to trace, and a
/// chunk's block (hundreds of kilobytes) is in the large-object heap, where it is never copied.
/// </remarks>
internal sealed class Utf8FieldText(byte[] block, int offset, int length)
{
    /// <summary>Gets the text's UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Utf8 => block.AsSpan(offset, length);

    /// <summary>Gets the text (a new string each time).</summary>
    public string Decode() => Encoding.UTF8.GetString(Utf8);
}
