using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>A small HTTP/1.1 server bound to 127.0.0.1 (keep-alive, Content-Length and chunked request bodies).</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private readonly SalesforceEmulator _emulator;
    private readonly Dashboard _dashboard;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, Task> _connections = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;

    public LoopbackServer(SalesforceEmulator emulator)
    {
        _emulator = emulator;
        _dashboard = new Dashboard(emulator, () => Port);
    }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public int Port { get; private set; }

    public void Start(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        var bound = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Port = bound;
        BaseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{bound}"));
        _acceptLoop = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections[client] = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            await using (stream.ConfigureAwait(false))
            {
                var reader = new BufferedReader(stream, MaxBodyBytes);
                while (!_stop.IsCancellationRequested)
                {
                    HttpRequestHead? head;
                    try
                    {
                        head = await ReadHeadAsync(reader).ConfigureAwait(false);
                        if (head is null)
                        {
                            return;
                        }

                        CheckHost(head);
                        if (head.Headers.TryGetValue("Expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                        {
                            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                        }

                        (head.PooledBody, head.Body) = await ReadBodyAsync(reader, head.Headers).ConfigureAwait(false);
                    }
                    catch (HttpProtocolException e)
                    {
                        // Malformed HTTP: answer it (the connection cannot be resynchronised, so it closes).
                        await WriteAsync(stream, e.Status, Reason(e.Status), PlainText, Encoding.UTF8.GetBytes(e.Message + "\n"), close: true).ConfigureAwait(false);
                        await LingerAsync(client, stream).ConfigureAwait(false);
                        return;
                    }

                    var close = (head.Headers.TryGetValue("Connection", out var connection) && connection.Contains("close", StringComparison.OrdinalIgnoreCase)) || head.Version == "HTTP/1.0";
                    using var request = new ApiRequest
                    {
                        Method = head.Method,
                        Path = head.Path,
                        Query = head.Query,
                        Headers = head.Headers,
                        Body = head.Body,
                        PooledBody = head.PooledBody,
                        Host = head.HostName,
                        Served = true,
                    };
                    var response = Dashboard.Handles(request.Path)
                        ? _dashboard.Handle(request)
                        : await _emulator.ProcessAsync(request, _stop.Token).ConfigureAwait(false);
                    var (pooled, bytes) = request.Method == "HEAD" ? (null, ReadOnlyMemory<byte>.Empty) : response.RentBody();
                    try
                    {
                        var responseHeaders = response.HeadersToSend();
                        if (bytes.Length > 0 || response.HasJsonBody)
                        {
                            responseHeaders["Content-Type"] = response.ContentType ?? "application/json;charset=UTF-8";
                        }

                        await WriteAsync(stream, response.Status, Reason(response.Status), responseHeaders, bytes, close).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (pooled is not null)
                        {
                            System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
                        }
                    }

                    if (close)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the server is stopping.
        }
        finally
        {
            _connections.TryRemove(client, out _);
            client.Dispose();
        }
    }

    /// <summary>
    /// Closes gracefully after an error answer: stop sending, then discard what the client still sends (bounded), so the close
    /// does not reset the connection and destroy the answer before the client read it.
    /// </summary>
    private async Task LingerAsync(TcpClient client, NetworkStream stream)
    {
        try
        {
            client.Client.Shutdown(SocketShutdown.Send);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            linger.CancelAfter(TimeSpan.FromSeconds(2));
            var buffer = new byte[16 * 1024];
            var discarded = 0;
            while (discarded < 1024 * 1024)
            {
                var read = await stream.ReadAsync(buffer, linger.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                discarded += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away first, or kept sending: close anyway.
        }
    }

    private static readonly Dictionary<string, string> PlainText = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/plain; charset=utf-8" };

    /// <summary>Reads the request line and the headers; null when the client closed the connection between requests.</summary>
    private async Task<HttpRequestHead?> ReadHeadAsync(BufferedReader reader)
    {
        string? requestLine;
        do
        {
            requestLine = await reader.ReadLineAsync(414, "The request line is longer than 16 KB.", _stop.Token).ConfigureAwait(false);
            if (requestLine is null)
            {
                return null;
            }
        }
        while (requestLine.Length == 0);

        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[0].All(IsTokenChar) || !parts[1].StartsWith('/') || parts[1].Any(c => c <= ' ' || c >= 0x7F))
        {
            throw new HttpProtocolException(400, "Bad request: the request line must be 'METHOD /path HTTP/1.1'.");
        }

        if (parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            throw parts[2].StartsWith("HTTP/", StringComparison.Ordinal)
                ? new HttpProtocolException(505, "This server speaks HTTP/1.1 only.")
                : new HttpProtocolException(400, "Bad request: the request line must end with the HTTP version (HTTP/1.1).");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var headerBytes = 0;
        while (true)
        {
            var line = await reader.ReadLineAsync(431, "A request header is longer than 16 KB.", _stop.Token).ConfigureAwait(false)
                ?? throw new IOException("The client closed the connection in the middle of the headers.");
            if (line.Length == 0)
            {
                break;
            }

            headerBytes += line.Length;
            if (headerBytes > MaxHeaderBytes)
            {
                throw new HttpProtocolException(431, "The request headers are larger than 64 KB.");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.AsSpan(0, colon).ToString().All(IsTokenChar))
            {
                throw new HttpProtocolException(400, "Bad request: a header line is not 'Name: value'.");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) && headers.ContainsKey(name))
            {
                throw new HttpProtocolException(400, "Bad request: more than one Host header.");
            }

            headers[name] = headers.TryGetValue(name, out var existing) ? $"{existing}, {value}" : value;
        }

        var target = parts[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        return new HttpRequestHead
        {
            Method = parts[0].ToUpperInvariant(),
            Path = question < 0 ? target : target[..question],
            Query = question < 0 ? string.Empty : target[(question + 1)..],
            Version = parts[2],
            Headers = headers,
        };
    }

    /// <summary>Answers only requests addressed to a loopback name and this port, so a web page cannot reach the emulator through DNS rebinding.</summary>
    private void CheckHost(HttpRequestHead head)
    {
        if (!head.Headers.TryGetValue("Host", out var host) || host.Length == 0)
        {
            if (head.Version == "HTTP/1.1")
            {
                throw new HttpProtocolException(400, "Bad request: HTTP/1.1 requests need a Host header.");
            }

            head.HostName = "127.0.0.1";
            return;
        }

        var name = LoopbackHostName(host, Port);
        head.HostName = name ?? throw new HttpProtocolException(421, string.Create(CultureInfo.InvariantCulture,
            $"Misdirected request: this emulator answers only requests addressed to 127.0.0.1:{Port}, localhost:{Port} or [::1]:{Port}."));
    }

    /// <summary>The host name of a Host header value when it names a loopback host (127.0.0.1, localhost, [::1]) and the given port; otherwise null.</summary>
    internal static string? LoopbackHostName(string host, int port)
    {
        string name;
        string? portText;
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            name = host[..(end + 1)];
            var rest = host[(end + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
            {
                return null;
            }

            portText = rest.Length == 0 ? null : rest[1..];
        }
        else
        {
            var colon = host.IndexOf(':', StringComparison.Ordinal);
            name = colon < 0 ? host : host[..colon];
            portText = colon < 0 ? null : host[(colon + 1)..];
        }

        if (!(name.Equals("127.0.0.1", StringComparison.Ordinal) || name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.Equals("[::1]", StringComparison.Ordinal)))
        {
            return null;
        }

        var portOk = portText is null
            ? port == 80
            : portText.Length is > 0 and <= 5 && portText.All(char.IsAsciiDigit) && int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture) == port;
        return portOk ? name : null;
    }

    /// <summary>Reads the body: a large one into an array of the shared pool, which the request returns when it is disposed.</summary>
    private async Task<(byte[]? Pooled, ReadOnlyMemory<byte> Body)> ReadBodyAsync(BufferedReader reader, Dictionary<string, string> headers)
    {
        var hasLength = headers.TryGetValue("Content-Length", out var lengthText);
        if (headers.TryGetValue("Transfer-Encoding", out var encoding))
        {
            if (hasLength)
            {
                throw new HttpProtocolException(400, "Bad request: a request cannot have both Content-Length and Transfer-Encoding.");
            }

            if (!encoding.Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new HttpProtocolException(501, "Only the chunked transfer coding is supported.");
            }

            return (null, await reader.ReadChunkedAsync(_stop.Token).ConfigureAwait(false));
        }

        if (!hasLength)
        {
            return (null, ReadOnlyMemory<byte>.Empty);
        }

        if (lengthText!.Length is 0 or > 18 || !lengthText.All(char.IsAsciiDigit))
        {
            throw new HttpProtocolException(400, "Bad request: Content-Length must be a single number of bytes.");
        }

        var length = long.Parse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (length > MaxBodyBytes)
        {
            throw new HttpProtocolException(413, "The request body is larger than 64 MB.");
        }

        if (length < PooledBodyBytes)
        {
            return (null, length == 0 ? ReadOnlyMemory<byte>.Empty : await reader.ReadBytesAsync((int)length, _stop.Token).ConfigureAwait(false));
        }

        var pooled = System.Buffers.ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await reader.ReadIntoAsync(pooled.AsMemory(0, (int)length), _stop.Token).ConfigureAwait(false);
            return (pooled, pooled.AsMemory(0, (int)length));
        }
        catch
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            throw;
        }
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>Bodies at least this long are read into arrays of the shared pool (a chunk's graph request is hundreds of kilobytes).</summary>
    private const int PooledBodyBytes = 16 * 1024;

    private async Task WriteAsync(NetworkStream stream, int status, string reason, Dictionary<string, string> headers, ReadOnlyMemory<byte> body, bool close)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        builder.Append(CultureInfo.InvariantCulture, $"Date: {DateTimeOffset.UtcNow:R}\r\n");
        foreach (var (name, value) in headers)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        builder.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        builder.Append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
        builder.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(builder.ToString());
        await stream.WriteAsync(head, _stop.Token).ConfigureAwait(false);
        if (body.Length > 0)
        {
            await stream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
        }

        await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        300 => "Multiple Choices",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        500 => "Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        foreach (var client in _connections.Keys)
        {
            client.Dispose();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _listener?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Reads lines and byte runs from a stream with one buffer.</summary>
    private sealed class BufferedReader
    {
        private readonly Stream _stream;
        private readonly int _maxBody;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public BufferedReader(Stream stream, int maxBody)
        {
            _stream = stream;
            _maxBody = maxBody;
        }

        private async Task<bool> FillAsync(CancellationToken ct, int tooLongStatus = 400, string tooLongMessage = "Bad request: a line is longer than 16 KB.")
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new HttpProtocolException(tooLongStatus, tooLongMessage);
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            _end += read;
            return read > 0;
        }

        public Task<string?> ReadLineAsync(CancellationToken ct) => ReadLineAsync(400, "Bad request: a line is longer than 16 KB.", ct);

        public async Task<string?> ReadLineAsync(int tooLongStatus, string tooLongMessage, CancellationToken ct)
        {
            while (true)
            {
                var index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (index >= 0)
                {
                    var length = index - _start;
                    if (length > 0 && _buffer[index - 1] == '\r')
                    {
                        length--;
                    }

                    var line = Encoding.Latin1.GetString(_buffer, _start, length);
                    _start = index + 1;
                    return line;
                }

                if (!await FillAsync(ct, tooLongStatus, tooLongMessage).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count, CancellationToken ct)
        {
            // Uninitialized: every byte is written below (or the read fails).
            var result = GC.AllocateUninitializedArray<byte>(count);
            await ReadIntoAsync(result, ct).ConfigureAwait(false);
            return result;
        }

        /// <summary>Fills <paramref name="destination"/>: what is already buffered first, then the rest straight from the connection.</summary>
        public async Task ReadIntoAsync(Memory<byte> destination, CancellationToken ct)
        {
            // Straight into the body: a graph request is hundreds of kilobytes, and through the 16 KB buffer it was read
            // and copied in 16 KB steps.
            var copied = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, copied).CopyTo(destination.Span);
            _start += copied;
            while (copied < destination.Length)
            {
                var read = await _stream.ReadAsync(destination[copied..], ct).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("Unexpected end of the request body.");
                }

                copied += read;
            }
        }

        public async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct).ConfigureAwait(false) ?? throw new IOException("Unexpected end of a chunked body.");
                var sizeText = sizeLine.Split(';')[0].Trim();
                if (sizeText.Length is 0 or > 8 || !int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                {
                    throw new HttpProtocolException(400, "Bad request: a chunk size is not a hexadecimal number.");
                }

                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await ReadLineAsync(ct).ConfigureAwait(false)))
                    {
                    }

                    return body.ToArray();
                }

                if (body.Length + size > _maxBody)
                {
                    throw new HttpProtocolException(413, "The request body is larger than 64 MB.");
                }

                var chunk = await ReadBytesAsync(size, ct).ConfigureAwait(false);
                body.Write(chunk);
                if (await ReadLineAsync(ct).ConfigureAwait(false) is not { Length: 0 })
                {
                    throw new HttpProtocolException(400, "Bad request: a chunk is longer than its size says.");
                }
            }
        }
    }

    /// <summary>The request line and headers of one request, and its body once read.</summary>
    private sealed class HttpRequestHead
    {
        public required string Method { get; init; }

        public required string Path { get; init; }

        public required string Query { get; init; }

        public required string Version { get; init; }

        public required Dictionary<string, string> Headers { get; init; }

        public string? HostName { get; set; }

        public ReadOnlyMemory<byte> Body { get; set; }

        public byte[]? PooledBody { get; set; }
    }
}

/// <summary>A request that is not valid HTTP/1.1 (or not for this server): answered with <see cref="Status"/> and the message as plain text.</summary>
internal sealed class HttpProtocolException : Exception
{
    public HttpProtocolException(int status, string message)
        : base(message) => Status = status;

    public HttpProtocolException()
    {
    }

    public HttpProtocolException(string message)
        : base(message)
    {
    }

    public HttpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; } = 400;
}
