using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// How the transport reads an answer's body (into one array, and a connection that fails meanwhile as a network
/// failure) and reads it as JSON when it must (an error's body, or an operation that returns JSON nodes).
/// </summary>
internal static class AnswerBody
{
    /// <summary>Answers larger than this are read through HttpClient's buffering instead of into an array of their announced size.</summary>
    private const int MaxPresized = 64 * 1024 * 1024;

    /// <summary>
    /// Reads an answer's body into one array: of the announced length when there is one (a chunk's answers are tens of
    /// kilobytes; buffering them first grew a buffer and then copied it), through HttpClient's buffering otherwise.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            if (content.Headers.ContentLength is not { } length || length is < 0 or > MaxPresized)
            {
                return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }

            // Uninitialized: every byte is read into it below, or the read fails (zeroing it first was a share of the
            // processor time spent on each chunk's answers).
            var body = GC.AllocateUninitializedArray<byte>((int)length);
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                if (await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < body.Length)
                {
                    throw new HttpRequestException(HttpRequestError.ResponseEnded, "The answer ended before the length it announced.");
                }
            }

            return body;
        }
        catch (IOException ex)
        {
            // The connection failed while the answer was read: the same network failure as one before it arrived.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection failed while the answer was read.", ex);
        }
    }

    /// <summary>The JSON of an answer's body; <see langword="null"/> when it is empty or not JSON (a proxy's HTML error page, for example: the status decides).</summary>
    public static JsonNode? Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
