using System.Net.Http.Headers;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The transport never follows redirects: they are switched off on the primary handler and a 3xx answer is an error.</summary>
internal static class RedirectAnswer
{
    /// <summary>Turns automatic redirects off on the handlers that have them (the default one and any host-supplied one).</summary>
    public static void DisableAutoRedirect(HttpMessageHandler? handler)
    {
        try
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets when sockets.AllowAutoRedirect:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler client when client.AllowAutoRedirect:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // A host-supplied handler instance that has already sent requests cannot be changed; a redirect it follows
            // itself is outside our control, and one it returns is still refused by IsRedirect below.
        }
    }

    /// <summary>Whether the status is a redirect (300 Multiple Choices is not: Salesforce uses it for an ambiguous external id).</summary>
    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The host a redirect pointed to, for messages (never the path or query, which may carry tokens).</summary>
    public static string TargetHost(Uri requestUri, HttpResponseHeaders headers)
    {
        var location = headers.Location;
        if (location is null)
        {
            return "(no Location given)";
        }

        return Uri.TryCreate(requestUri, location, out var target) && !string.IsNullOrEmpty(target.Host) ? target.Host : "(an unreadable Location)";
    }
}
