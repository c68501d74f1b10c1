using System.Net;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// A request content over a <see cref="PooledRequestBody"/>: the same bytes as a byte-array content, without an array
/// of its own. It holds a reference to the body until it is disposed, and another while the transport writes it.
/// </summary>
internal sealed class PooledRequestContent : HttpContent
{
    private readonly PooledRequestBody _body;
    private int _released;

    public PooledRequestContent(PooledRequestBody body)
    {
        ObjectDisposedException.ThrowIf(!body.TryAcquire(), body);
        _body = body;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!_body.TryAcquire(), this);

        try
        {
            await stream.WriteAsync(_body.Memory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _body.Release();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
        {
            _body.Release();
        }

        base.Dispose(disposing);
    }
}
