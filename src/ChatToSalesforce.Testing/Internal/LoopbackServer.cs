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
    private readonly SalesforceEmulator _emulator;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, Task> _connections = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;

    public LoopbackServer(SalesforceEmulator emulator) => _emulator = emulator;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public void Start(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        var bound = ((IPEndPoint)_listener.LocalEndpoint).Port;
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
                var reader = new BufferedReader(stream);
                while (!_stop.IsCancellationRequested)
                {
                    var requestLine = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                    if (requestLine is null)
                    {
                        return;
                    }

                    if (requestLine.Length == 0)
                    {
                        continue;
                    }

                    var parts = requestLine.Split(' ');
                    if (parts.Length != 3)
                    {
                        await WriteAsync(stream, 400, "Bad Request", new Dictionary<string, string>(), [], close: true).ConfigureAwait(false);
                        return;
                    }

                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    var headerBytes = 0;
                    while (true)
                    {
                        var line = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                        if (line is null)
                        {
                            return;
                        }

                        if (line.Length == 0)
                        {
                            break;
                        }

                        headerBytes += line.Length;
                        if (headerBytes > MaxHeaderBytes)
                        {
                            await WriteAsync(stream, 431, "Request Header Fields Too Large", new Dictionary<string, string>(), [], close: true).ConfigureAwait(false);
                            return;
                        }

                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        if (colon > 0)
                        {
                            var name = line[..colon].Trim();
                            var value = line[(colon + 1)..].Trim();
                            headers[name] = headers.TryGetValue(name, out var existing) ? $"{existing}, {value}" : value;
                        }
                    }

                    if (headers.TryGetValue("Expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                    {
                        await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                    }

                    byte[] body;
                    if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        body = await reader.ReadChunkedAsync(_stop.Token).ConfigureAwait(false);
                    }
                    else if (headers.TryGetValue("Content-Length", out var lengthText) && long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0)
                    {
                        body = await reader.ReadBytesAsync((int)length, _stop.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        body = [];
                    }

                    var target = parts[1];
                    var question = target.IndexOf('?', StringComparison.Ordinal);
                    var request = new ApiRequest
                    {
                        Method = parts[0].ToUpperInvariant(),
                        Path = question < 0 ? target : target[..question],
                        Query = question < 0 ? string.Empty : target[(question + 1)..],
                        Headers = headers,
                        Body = body,
                        Host = headers.TryGetValue("Host", out var host) ? host.Split(':')[0] : null,
                    };
                    var response = await _emulator.ProcessAsync(request, _stop.Token).ConfigureAwait(false);
                    var close = (headers.TryGetValue("Connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase)) || parts[2] == "HTTP/1.0";
                    var bytes = request.Method == "HEAD" ? [] : response.BodyBytes();
                    var responseHeaders = new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase);
                    if (bytes.Length > 0 || response.Json is not null)
                    {
                        responseHeaders["Content-Type"] = response.ContentType ?? "application/json;charset=UTF-8";
                    }

                    await WriteAsync(stream, response.Status, Reason(response.Status), responseHeaders, bytes, close).ConfigureAwait(false);
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

    private async Task WriteAsync(NetworkStream stream, int status, string reason, Dictionary<string, string> headers, byte[] body, bool close)
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
        300 => "Multiple Choices",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
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
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public BufferedReader(Stream stream) => _stream = stream;

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("Line too long.");
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            _end += read;
            return read > 0;
        }

        public async Task<string?> ReadLineAsync(CancellationToken ct)
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

                if (!await FillAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var copied = 0;
            while (copied < count)
            {
                if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
                {
                    throw new IOException("Unexpected end of the request body.");
                }

                var n = Math.Min(count - copied, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, copied, n);
                _start += n;
                copied += n;
            }

            return result;
        }

        public async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct).ConfigureAwait(false) ?? throw new IOException("Unexpected end of a chunked body.");
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await ReadLineAsync(ct).ConfigureAwait(false)))
                    {
                    }

                    return body.ToArray();
                }

                var chunk = await ReadBytesAsync(size, ct).ConfigureAwait(false);
                body.Write(chunk);
                await ReadLineAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
