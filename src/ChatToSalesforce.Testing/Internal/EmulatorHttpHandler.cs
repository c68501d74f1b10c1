using System.Net;
using System.Net.Http.Headers;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>Answers HttpClient requests in-process, whatever the host.</summary>
internal sealed class EmulatorHttpHandler : HttpMessageHandler
{
    private readonly SalesforceEmulator _emulator;

    public EmulatorHttpHandler(SalesforceEmulator emulator) => _emulator = emulator;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!uri.IsAbsoluteUri)
        {
            uri = new Uri(_emulator.InstanceUrl, uri);
        }

        if (uri.PathAndQuery.Length > 16_384)
        {
            // API-FACTS 9: a URI over 16,384 bytes is refused with 414 before Salesforce reads it.
            return new HttpResponseMessage(HttpStatusCode.RequestUriTooLong) { RequestMessage = request, Content = new ByteArrayContent([]) };
        }

        using var apiRequest = await ReadAsync(request, uri, cancellationToken).ConfigureAwait(false);
        var response = await _emulator.ProcessAsync(apiRequest, cancellationToken).ConfigureAwait(false);
        return ToHttp(response, request);
    }

    /// <summary>Reads a request body into one array of its size (a seekable content, such as a byte-array content, is copied once).</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.CanSeek)
            {
                var body = new byte[stream.Length - stream.Position];
                await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
                return body;
            }

            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            return copy.ToArray();
        }
    }

    /// <summary>The emulator's view of an HttpClient request addressed to <paramref name="uri"/>.</summary>
    internal static async Task<ApiRequest> ReadAsync(HttpRequestMessage request, Uri uri, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        var body = Array.Empty<byte>();
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(", ", values);
            }

            body = await ReadBodyAsync(request.Content, cancellationToken).ConfigureAwait(false);
        }

        return new ApiRequest
        {
            Method = request.Method.Method.ToUpperInvariant(),
            Path = uri.AbsolutePath,
            Query = uri.Query.TrimStart('?'),
            Host = uri.Host,
            Headers = headers,
            Body = body,
        };
    }

    internal static HttpResponseMessage ToHttp(ApiResponse response, HttpRequestMessage request)
    {
        var message = new HttpResponseMessage((HttpStatusCode)response.Status) { RequestMessage = request };
        var bytes = response.BodyBytes();
        var content = new ByteArrayContent(bytes);
        if (bytes.Length > 0 || response.HasJsonBody)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(response.ContentType ?? "application/json;charset=UTF-8");
        }

        message.Content = content;
        foreach (var (name, value) in response.HeadersToSend())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }
}
