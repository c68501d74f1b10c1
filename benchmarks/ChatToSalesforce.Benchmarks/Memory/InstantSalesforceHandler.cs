using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatToSalesforce.Benchmarks.Memory;

/// <summary>
/// A Salesforce org that answers at once and remembers nothing: every query finds no record, every write succeeds
/// with a fresh id. It answers by the shape of the request, whatever the SDK sends: <c>/composite</c> (one answer per
/// subrequest), <c>/composite/graph</c> (one successful graph per graph, one 201 per node), <c>/composite/sobjects</c>
/// (one success per record), <c>/query</c> and single-record writes. Anything else (the token, <c>userinfo</c>,
/// describes, versions, limits) is passed to <see cref="_fallback"/> (an emulator's handler, which keeps no request log
/// and stores nothing for those reads), and GET answers of that kind are cached by URL.
/// </summary>
/// <remarks>Nothing grows with the number of requests except the counters, so the memory measured is the SDK's.</remarks>
internal sealed class InstantSalesforceHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = MediaTypeHeaderValue.Parse("application/json;charset=UTF-8");
    private readonly InstantOrg _org;
    private readonly HttpMessageInvoker _fallback;

    public InstantSalesforceHandler(InstantOrg org, HttpMessageHandler fallback)
    {
        _org = org;
        _fallback = new HttpMessageInvoker(fallback, disposeHandler: true);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fallback.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method.ToUpperInvariant();
        var resource = Resource(request.RequestUri!.IsAbsoluteUri ? request.RequestUri.PathAndQuery : request.RequestUri.OriginalString);
        if (resource is null || !Handles(method, resource))
        {
            Interlocked.Increment(ref _org.PassedThrough);
            return await _fallback.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _org.Requests);
        JsonDocument? body = null;
        if (request.Content is not null && IsJson(request.Content.Headers.ContentType))
        {
            var stream = await request.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                body = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        using (body)
        {
            // Describes and other reads inside /composite are answered from the fallback: fetch them first.
            var cached = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            if (resource == "composite" && body is not null)
            {
                foreach (var sub in body.RootElement.GetProperty("compositeRequest").EnumerateArray())
                {
                    var subMethod = sub.GetProperty("method").GetString()!;
                    var url = sub.GetProperty("url").GetString()!;
                    if (subMethod == "GET" && Resource(url) is { } subResource && !Handles(subMethod, subResource))
                    {
                        cached[url] = await GetThroughFallbackAsync(request, url, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var buffer = new ArrayBufferWriter<byte>(1024);
            int status;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                status = resource == "composite"
                    ? WriteComposite(writer, body!.RootElement, cached)
                    : WriteAnswer(writer, method, resource, body?.RootElement);
                writer.Flush();
            }

            var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request };
            if (buffer.WrittenCount > 0)
            {
                response.Content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
                response.Content.Headers.ContentType = Json;
            }
            else
            {
                response.Content = new ByteArrayContent([]);
            }

            return response;
        }
    }

    /// <summary>The part of a REST URL after <c>/services/data/vNN.N/</c>, without the query string for writes; <see langword="null"/> for non-REST URLs.</summary>
    private static string? Resource(string url)
    {
        const string Prefix = "/services/data/v";
        var start = url.IndexOf(Prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var slash = url.IndexOf('/', start + Prefix.Length);
        return slash < 0 ? null : url[(slash + 1)..];
    }

    private static bool Handles(string method, string resource) => method switch
    {
        "GET" => resource.StartsWith("query", StringComparison.Ordinal),
        "POST" => resource.StartsWith("composite", StringComparison.Ordinal) || (resource.StartsWith("sobjects/", StringComparison.Ordinal) && resource.Count(c => c == '/') == 1),
        "PATCH" or "DELETE" => resource.StartsWith("composite/sobjects", StringComparison.Ordinal) || (resource.StartsWith("sobjects/", StringComparison.Ordinal) && resource.Count(c => c == '/') >= 2),
        _ => false,
    };

    private static bool IsJson(MediaTypeHeaderValue? type) => type?.MediaType is { } media && media.Contains("json", StringComparison.OrdinalIgnoreCase);

    private async Task<byte[]> GetThroughFallbackAsync(HttpRequestMessage parent, string url, CancellationToken cancellationToken)
    {
        if (_org.Reads.TryGetValue(url, out var bytes))
        {
            return bytes;
        }

        Interlocked.Increment(ref _org.PassedThrough);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(parent.RequestUri!, url));
        request.Headers.Authorization = parent.Headers.Authorization;
        using var response = await _fallback.SendAsync(request, cancellationToken).ConfigureAwait(false);
        bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The fake org passed GET {url} to the emulator, which answered {(int)response.StatusCode}.");
        }

        if (_org.Reads.Count < 100)
        {
            _org.Reads.TryAdd(url, bytes);
        }

        return bytes;
    }

    private int WriteComposite(Utf8JsonWriter w, JsonElement body, Dictionary<string, byte[]> cached)
    {
        w.WriteStartObject();
        w.WriteStartArray("compositeResponse");
        foreach (var sub in body.GetProperty("compositeRequest").EnumerateArray())
        {
            var method = sub.GetProperty("method").GetString()!;
            var url = sub.GetProperty("url").GetString()!;
            w.WriteStartObject();
            w.WritePropertyName("body");
            int status;
            if (cached.TryGetValue(url, out var raw))
            {
                w.WriteRawValue(raw);
                status = 200;
            }
            else
            {
                status = WriteAnswer(w, method, Resource(url) ?? url, sub.TryGetProperty("body", out var b) ? b : null);
                if (status == 204)
                {
                    w.WriteNullValue();
                }
            }

            w.WriteStartObject("httpHeaders");
            w.WriteEndObject();
            w.WriteNumber("httpStatusCode", status);
            w.WriteString("referenceId", sub.GetProperty("referenceId").GetString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return 200;
    }

    /// <summary>Writes the answer to one REST request (top level, subrequest or graph node); returns its status (204: nothing written).</summary>
    private int WriteAnswer(Utf8JsonWriter w, string method, string resource, JsonElement? body)
    {
        var path = resource.Split('?', 2)[0];
        var segments = path.Split('/');
        if (method == "GET")
        {
            // query?q=... (or queryAll): nothing found.
            Interlocked.Increment(ref _org.Queries);
            w.WriteStartObject();
            w.WriteNumber("totalSize", 0);
            w.WriteBoolean("done", true);
            w.WriteStartArray("records");
            w.WriteEndArray();
            w.WriteEndObject();
            return 200;
        }

        if (path == "composite/graph")
        {
            w.WriteStartObject();
            w.WriteStartArray("graphs");
            foreach (var graph in body!.Value.GetProperty("graphs").EnumerateArray())
            {
                w.WriteStartObject();
                w.WriteString("graphId", graph.GetProperty("graphId").GetString());
                w.WriteStartObject("graphResponse");
                w.WriteStartArray("compositeResponse");
                foreach (var node in graph.GetProperty("compositeRequest").EnumerateArray())
                {
                    var nodeUrl = node.GetProperty("url").GetString()!;
                    w.WriteStartObject();
                    w.WritePropertyName("body");
                    var status = WriteAnswer(w, node.GetProperty("method").GetString()!, Resource(nodeUrl) ?? nodeUrl, node.TryGetProperty("body", out var b) ? b : null);
                    if (status == 204)
                    {
                        w.WriteNullValue();
                    }

                    w.WriteStartObject("httpHeaders");
                    w.WriteEndObject();
                    w.WriteNumber("httpStatusCode", status);
                    w.WriteString("referenceId", node.GetProperty("referenceId").GetString());
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteBoolean("isSuccessful", true);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            return 200;
        }

        if (segments[0] == "composite" && segments.Length >= 2 && segments[1] == "sobjects")
        {
            // sObject Collections: one success per record (DELETE: one per id in ?ids=).
            var upsert = method == "PATCH" && segments.Length >= 4;
            w.WriteStartArray();
            if (method == "DELETE")
            {
                var ids = resource.Contains("ids=", StringComparison.Ordinal) ? Uri.UnescapeDataString(resource[(resource.IndexOf("ids=", StringComparison.Ordinal) + 4)..].Split('&')[0]).Split(',') : [];
                foreach (var id in ids)
                {
                    WriteSaveResult(w, id, created: null);
                }
            }
            else
            {
                foreach (var record in body!.Value.GetProperty("records").EnumerateArray())
                {
                    var type = upsert ? segments[2] : record.GetProperty("attributes").GetProperty("type").GetString()!;
                    var id = method == "PATCH" && record.TryGetProperty("Id", out var existing) ? existing.GetString()! : _org.NewId(type);
                    WriteSaveResult(w, id, created: upsert ? true : null);
                }
            }

            w.WriteEndArray();
            return 200;
        }

        if (segments[0] == "sobjects" && segments.Length >= 2)
        {
            switch (method)
            {
                case "POST":
                    WriteSaveResult(w, _org.NewId(segments[1]), created: null);
                    return 201;
                case "PATCH" when segments.Length >= 4:
                    // Upsert by external id: created.
                    WriteSaveResult(w, _org.NewId(segments[1]), created: true);
                    return 201;
                default:
                    // Update or delete by id.
                    Interlocked.Increment(ref _org.Writes);
                    return 204;
            }
        }

        throw new InvalidOperationException($"The fake org cannot answer {method} {resource}.");
    }

    private void WriteSaveResult(Utf8JsonWriter w, string id, bool? created)
    {
        Interlocked.Increment(ref _org.Writes);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteBoolean("success", true);
        w.WriteStartArray("errors");
        w.WriteEndArray();
        if (created is { } c)
        {
            w.WriteBoolean("created", c);
        }

        w.WriteEndObject();
    }
}

/// <summary>The fake org's counters and its small cache of reads answered by the emulator (describes).</summary>
internal sealed class InstantOrg
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string ChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Account"] = "001",
        ["Contact"] = "003",
        ["Lead"] = "00Q",
        ["Task"] = "00T",
        ["Event"] = "00U",
        ["Case"] = "500",
        ["Opportunity"] = "006",
        ["CampaignMember"] = "00v",
        ["ContentVersion"] = "068",
        ["ContentDocumentLink"] = "06A",
        ["Attachment"] = "00P",
    };

    private long _sequence;

    // Counters, updated with Interlocked: requests answered here, requests and subrequests passed to the emulator,
    // queries answered (empty) and records written.
    public long Requests;
    public long PassedThrough;
    public long Queries;
    public long Writes;

    public ConcurrentDictionary<string, byte[]> Reads { get; } = new(StringComparer.Ordinal);

    /// <summary>A fresh, well-formed 18-character id for a record of <paramref name="objectType"/>.</summary>
    public string NewId(string objectType)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        Span<char> id = stackalloc char[18];
        var prefix = Prefixes.GetValueOrDefault(objectType, "a0B");
        prefix.AsSpan().CopyTo(id);
        id[3] = 'F';
        id[4] = 'k';
        for (var i = 14; i >= 5; i--)
        {
            id[i] = Base62[(int)(sequence % 62)];
            sequence /= 62;
        }

        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (id[(chunk * 5) + i] is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            id[15 + chunk] = ChecksumAlphabet[bits];
        }

        return new string(id);
    }
}
