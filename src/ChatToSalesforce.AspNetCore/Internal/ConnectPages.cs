using System.Net;
using System.Text;
using ChatToSalesforce.Connect;
using Microsoft.AspNetCore.Http;

namespace ChatToSalesforce.AspNetCore.Internal;

/// <summary>The small default pages: every value HTML-encoded, nothing cached, no referrer (the callback URL carries the code).</summary>
internal static class ConnectPages
{
    public static IResult Result(HttpContext context, SalesforceConnectResult result)
    {
        var (title, status) = result.Status switch
        {
            SalesforceConnectStatus.Connected => ("Connected to Salesforce", 200),
            SalesforceConnectStatus.Denied => ("Salesforce access was denied", 200),
            _ => ("Could not connect to Salesforce", 400),
        };
        return Page(context, status, title, result.Message, result.Status.ToString().ToLowerInvariant(), result.Error);
    }

    public static IResult Disconnected(HttpContext context, SalesforceDisconnectResult result) =>
        Page(context, 200, "Disconnected from Salesforce", result.Message, "disconnected", null);

    public static IResult Problem(HttpContext context, int status, string title, string message) =>
        Page(context, status, title, message, "refused", null);

    public static void NoStore(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store, no-cache, max-age=0";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
    }

    private static IResult Page(HttpContext context, int status, string title, string message, string kind, string? error)
    {
        NoStore(context);
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:3rem auto;max-width:36rem}</style></head><body><main>")
            .Append("<h1 id=\"salesforce-title\">").Append(E(title)).Append("</h1>")
            .Append("<p id=\"salesforce-result\" data-status=\"").Append(E(kind)).Append('"');
        if (error is not null)
        {
            html.Append(" data-error=\"").Append(E(error)).Append('"');
        }

        html.Append('>').Append(E(message)).Append("</p></main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
