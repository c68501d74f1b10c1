using System.Buffers;
using System.Text.Json;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// A JSON request body in an array rented from <see cref="ArrayPool{T}.Shared"/>, shared by the contents of every
/// attempt that sends it and returned to the pool when the last of them lets go.
/// </summary>
/// <remarks>
/// A chunk's graph body is over half a megabyte. Copied into an array of its own per request, it was a large-object-heap
/// allocation each time, and those are what start full background collections (a host's whole heap marked). The owner
/// (the operation) holds one reference; each <see cref="PooledRequestContent"/> holds one from creation until it is
/// disposed and one more while the transport writes it, so the array goes back only when nothing can read it any more,
/// even when HttpClient still sends a body after it returned an early answer.
/// </remarks>
internal sealed class PooledRequestBody : IDisposable
{
    private byte[]? _buffer;
    private int _references = 1;
    private int _ownerReleased;

    private PooledRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Gets the number of bytes of the body.</summary>
    public int Length { get; }

    /// <summary>Writes a body with <paramref name="write"/> into pooled arrays.</summary>
    public static PooledRequestBody Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(writer);
            }

            var array = buffer.Detach(out var length);
            return new PooledRequestBody(array, length);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>Takes a reference; false once the body went back to the pool.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>The body's bytes; only while a reference is held.</summary>
    public ReadOnlyMemory<byte> Memory => (Volatile.Read(ref _buffer) ?? throw new ObjectDisposedException(nameof(PooledRequestBody))).AsMemory(0, Length);

    /// <summary>Gives back a reference taken with <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gives back the owner's reference (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ownerReleased, 1) == 0)
        {
            Release();
        }
    }
}
