using System.Text;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>
/// A request body in a pooled array goes back to the pool only when nothing can read it any more: not while a content
/// over it exists, and not while the transport still writes one (HttpClient may go on sending a body after an early answer).
/// </summary>
public sealed class PooledRequestBodyTests
{
    [Fact]
    public async Task A_content_sends_exactly_the_json_written_and_announces_its_length()
    {
        using var body = PooledRequestBody.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("Subject", "Chat é [chat c-1]");
            w.WriteEndObject();
        });
        using var content = new PooledRequestContent(body);

        var bytes = await content.ReadAsByteArrayAsync();

        Encoding.UTF8.GetString(bytes).Should().Be("""{"Subject":"Chat \u00E9 [chat c-1]"}""");
        content.Headers.ContentLength.Should().Be(bytes.Length);
        body.Length.Should().Be(bytes.Length);
    }

    [Fact]
    public void The_body_is_released_only_after_its_owner_and_every_content_let_go()
    {
        var body = PooledRequestBody.Write(w => w.WriteStringValue("x"));
        var first = new PooledRequestContent(body);
        var second = new PooledRequestContent(body);

        body.Dispose();
        body.Dispose(); // the owner's reference goes once
        first.Dispose();
        IsAlive(body).Should().BeTrue("a content still holds the body");

        second.Dispose();
        IsAlive(body).Should().BeFalse();
        var late = () => new PooledRequestContent(body);
        late.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task A_content_disposed_while_the_transport_still_writes_it_keeps_the_body_until_the_write_ends()
    {
        var body = PooledRequestBody.Write(w => w.WriteStringValue(new string('a', 100_000)));
        var content = new PooledRequestContent(body);
        var stream = new StalledStream();

        var sending = content.CopyToAsync(stream);
        await stream.WriteStarted.Task;
        content.Dispose();
        body.Dispose();
        IsAlive(body).Should().BeTrue("the transport is still writing it");

        stream.Finish.SetResult();
        await sending;
        IsAlive(body).Should().BeFalse();
        stream.Written.Should().Be(100_002);
    }

    private static bool IsAlive(PooledRequestBody body)
    {
        if (!body.TryAcquire())
        {
            return false;
        }

        body.Release();
        return true;
    }

    /// <summary>A stream whose writes wait until the test lets them finish, as a slow connection's would.</summary>
    private sealed class StalledStream : Stream
    {
        public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriteStarted.TrySetResult();
            await Finish.Task;
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
