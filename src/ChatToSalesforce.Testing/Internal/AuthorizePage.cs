using System.Net;
using System.Text;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>
/// The HTML of /services/oauth2/authorize: a Salesforce-like login and consent page (username, password, Allow, Deny) that
/// posts back to the same path, and the error page shown when the request cannot be redirected (unknown client, callback
/// URL not registered). Every value is HTML-encoded. Element ids (username, password, oaapprove, oadeny) are stable for browser tests.
/// </summary>
internal static class AuthorizePage
{
    private static readonly string[] Carried = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "prompt", "login_hint"];

    public static ApiResponse Login(IReadOnlyDictionary<string, string> form, string? problem)
    {
        var html = new StringBuilder();
        Head(html, "Login | Salesforce");
        html.Append("<main><h1>Salesforce</h1>");
        if (problem is not null)
        {
            html.Append("<p id=\"error\" role=\"alert\">").Append(E(problem)).Append("</p>");
        }

        var scopes = (form.GetValueOrDefault("scope") is { Length: > 0 } s ? s : "api refresh_token").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        html.Append("<form method=\"post\" action=\"/services/oauth2/authorize\">");
        foreach (var name in Carried)
        {
            if (form.TryGetValue(name, out var value))
            {
                html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(E(value)).Append("\">");
            }
        }

        html.Append("<label for=\"username\">Username</label><input id=\"username\" name=\"username\" type=\"email\" autocomplete=\"username\" value=\"")
            .Append(E(form.GetValueOrDefault("username") ?? form.GetValueOrDefault("login_hint") ?? string.Empty)).Append("\">");
        html.Append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">");
        html.Append("<h2>Allow Access?</h2><p><strong>").Append(E(form.GetValueOrDefault("client_id") ?? string.Empty))
            .Append("</strong> is asking to:</p><ul>");
        foreach (var scope in scopes)
        {
            html.Append("<li>").Append(E(Describe(scope))).Append("</li>");
        }

        html.Append("</ul><p>Do you want to allow access for the user you log in as?</p>");
        html.Append("<button id=\"oadeny\" type=\"submit\" name=\"action\" value=\"deny\">Deny</button> ");
        html.Append("<button id=\"oaapprove\" type=\"submit\" name=\"action\" value=\"allow\">Allow</button>");
        html.Append("</form><p class=\"note\">Salesforce org emulator: passwords are not checked; the username must be an active user of this org.</p></main></body></html>");
        return Page(200, html);
    }

    public static ApiResponse Error(string error, string description)
    {
        var html = new StringBuilder();
        Head(html, "OAuth Error");
        html.Append("<main><h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p>");
        html.Append("<p id=\"oauth-error\">error=").Append(E(error)).Append("&amp;error_description=").Append(E(description)).Append("</p></main></body></html>");
        return Page(400, html);
    }

    private static void Head(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>body{font-family:sans-serif;background:#f3f3f3}main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.5rem}")
            .Append("label,input{display:block;width:100%;margin:.3rem 0}button{padding:.5rem 1.5rem;margin-top:1rem}#error{color:#c23934}.note{color:#706e6b;font-size:.8rem}</style></head><body>");

    private static ApiResponse Page(int status, StringBuilder html)
    {
        var response = new ApiResponse(status) { Raw = Encoding.UTF8.GetBytes(html.ToString()), ContentType = "text/html;charset=UTF-8" };
        response.Headers["Cache-Control"] = "no-cache,must-revalidate,max-age=0,no-store,private";
        response.Headers["X-Frame-Options"] = "DENY";
        return response;
    }

    private static string Describe(string scope) => scope switch
    {
        "api" => "Manage user data via APIs (api)",
        "refresh_token" or "offline_access" => "Perform requests at any time (refresh_token, offline_access)",
        "id" or "openid" or "profile" or "email" => $"Access the identity URL service ({scope})",
        "full" => "Full access (full)",
        _ => scope,
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
