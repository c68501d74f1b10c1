using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// A JSON request body written in segments of 64 KB: a 200-conversation graph body is over half a megabyte, and one array
/// of it (or the doubling arrays a growing buffer goes through) would land on the large-object heap, whose allocations
/// trigger full garbage collections. The segments are never copied into one array and are owned by the body, so a
/// request content may read them for as long as it lives (no pooled memory reaches the transport).
/// </summary>
internal sealed class JsonBody : IBufferWriter<byte>
{
    private const int SegmentSize = 64 * 1024;

    private readonly List<(byte[] Array, int Count)> _segments = [];
    private byte[] _current = [];
    private int _used;

    private JsonBody()
    {
    }

    /// <summary>Gets the body's length in bytes.</summary>
    public long Length { get; private set; }

    /// <summary>Writes a body.</summary>
    public static JsonBody Write(Action<Utf8JsonWriter> write)
    {
        var body = new JsonBody();
        using (var writer = new Utf8JsonWriter(body))
        {
            write(writer);
        }

        body.Seal();
        return body;
    }

    /// <summary>A new request content over the body (one per attempt: a content is disposed with its request).</summary>
    public HttpContent ToContent()
    {
        var content = new SegmentedContent(_segments, Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        return content;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_used + count > _current.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the segment.");
        }

        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_used);
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= needed)
        {
            return;
        }

        Seal();

        // A single value larger than a segment (a long transcript, escaped) gets a segment of its own size.
        _current = new byte[Math.Max(needed, SegmentSize)];
        _used = 0;
    }

    private void Seal()
    {
        if (_used > 0)
        {
            _segments.Add((_current, _used));
        }

        _current = [];
        _used = 0;
    }

    private sealed class SegmentedContent(List<(byte[] Array, int Count)> segments, long length) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var (array, count) in segments)
            {
                await stream.WriteAsync(array.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            }
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var (array, count) in segments)
            {
                stream.Write(array, 0, count);
            }
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return true;
        }
    }
}
