using System.Security.Cryptography;
using System.Text;
using ChatToSalesforce.Connect;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.AspNetCore.Internal;

/// <summary>
/// The three endpoints. The connect endpoint binds the flow to the browser that started it with an HttpOnly cookie holding
/// a hash of the state (never the state or anything secret): a callback that arrives in another browser (an admin lured to
/// someone else's authorization URL, login CSRF) is refused before anything is exchanged or stored.
/// </summary>
internal sealed class ConnectEndpoints(string path, SalesforceConnectEndpointOptions options)
{
    internal const string BrowserCookie = ".ChatToSalesforce.Connect";

    public async Task ConnectAsync(HttpContext context)
    {
        var tenant = await TenantAsync(context, fromForm: false).ConfigureAwait(false);
        if (tenant is null)
        {
            await (options.ResolveTenant is null
                ? ConnectPages.Problem(context, 400, "Which tenant?", "The connect link has no tenant: add ?tenant=… (the tenant to connect) to it.")
                : await RefuseAsync(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await CanConnectAsync(context, tenant).ConfigureAwait(false))
        {
            await (await RefuseAsync(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var sandbox = context.Request.Query["sandbox"].ToString() is var s && (string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) || s == "1");
        var myDomain = options.ResolveMyDomain is null ? null : await options.ResolveMyDomain(context, tenant).ConfigureAwait(false);
        SalesforceAuthorizationStart start;
        try
        {
            start = await Connector(context).StartAsync(
                new SalesforceConnectRequest { TenantId = tenant, RedirectUri = CallbackUrl(context), Sandbox = sandbox, MyDomain = myDomain, Scopes = options.Scopes, Prompt = options.Prompt },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // The host's settings (callback URL, My Domain) are wrong: say which, never a secret (the SDK's messages carry none).
            await ConnectPages.Problem(context, 500, "Connect to Salesforce is not set up correctly", e.Message).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.Cookies.Append(BrowserCookie, Hash(start.State), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax, // sent on Salesforce's top-level redirect back to the callback
            Path = context.Request.PathBase + path,
            Expires = start.ExpiresAt,
            IsEssential = true,
        });
        ConnectPages.NoStore(context);
        context.Response.Redirect(start.AuthorizationUrl.AbsoluteUri);
    }

    public async Task CallbackAsync(HttpContext context)
    {
        string? expected = null;
        if (options.ResolveTenant is not null)
        {
            expected = await options.ResolveTenant(context).ConfigureAwait(false);
            if (expected is null || !await CanConnectAsync(context, expected).ConfigureAwait(false))
            {
                await (await RefuseAsync(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        var query = context.Request.Query;
        var state = query["state"].ToString();
        var browser = context.Request.Cookies[BrowserCookie];
        SalesforceConnectResult result;
        if (state.Length > 0 && browser is null)
        {
            result = Failed("browser_mismatch", "This callback did not come back to the browser that started the connection (or its cookies are blocked); nothing was stored. Start again from the Connect button in the same browser.");
        }
        else if (state.Length > 0 && !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(state)), Encoding.ASCII.GetBytes(browser!)))
        {
            result = Failed("invalid_state", "The callback's state is not the one this browser's connection started with (it was changed, or another connection was started since); nothing was stored. Start again from the Connect button.");
        }
        else
        {
            // The binding is used up with the state; a request that did not match it (above) leaves the admin's own flow alone.
            context.Response.Cookies.Delete(BrowserCookie, new CookieOptions { Path = context.Request.PathBase + path, Secure = context.Request.IsHttps, HttpOnly = true, SameSite = SameSiteMode.Lax });
            result = await Connector(context).CompleteAsync(
                new SalesforceCallback
                {
                    RedirectUri = CallbackUrl(context),
                    Code = Value(query["code"]),
                    State = Value(query["state"]),
                    Error = Value(query["error"]),
                    ErrorDescription = Value(query["error_description"]),
                    ExpectedTenantId = expected,
                },
                context.RequestAborted).ConfigureAwait(false);
        }

        var answer = options.OnCompleted is null ? ConnectPages.Result(context, result) : await options.OnCompleted(context, result).ConfigureAwait(false);
        await answer.ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task DisconnectAsync(HttpContext context)
    {
        var tenant = await TenantAsync(context, fromForm: true).ConfigureAwait(false);
        if (tenant is null)
        {
            await (options.ResolveTenant is null
                ? ConnectPages.Problem(context, 400, "Which tenant?", "The disconnect request has no tenant: send the tenant to disconnect as the 'tenant' form field or query value.")
                : await RefuseAsync(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!await CanConnectAsync(context, tenant).ConfigureAwait(false))
        {
            await (await RefuseAsync(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var result = await Connector(context).DisconnectAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        var answer = options.OnDisconnected is null ? ConnectPages.Disconnected(context, result) : await options.OnDisconnected(context, result).ConfigureAwait(false);
        await answer.ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>The callback URL registered on the app: configured, or this request's origin, path base and {pattern}/callback.</summary>
    private Uri CallbackUrl(HttpContext context) =>
        options.CallbackUrl ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{path}/callback");

    private async ValueTask<string?> TenantAsync(HttpContext context, bool fromForm)
    {
        if (options.ResolveTenant is not null)
        {
            return await options.ResolveTenant(context).ConfigureAwait(false);
        }

        var tenant = context.Request.Query["tenant"].ToString();
        if (tenant.Length == 0 && fromForm && context.Request.HasFormContentType)
        {
            tenant = (await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))["tenant"].ToString();
        }

        return string.IsNullOrWhiteSpace(tenant) ? null : tenant.Trim();
    }

    private ValueTask<bool> CanConnectAsync(HttpContext context, string tenant) =>
        options.CanConnect?.Invoke(context, tenant) ?? ValueTask.FromResult(context.User.Identity?.IsAuthenticated == true);

    /// <summary>401 (challenge) for an anonymous user, 403 (forbid) for a signed-in one, through the host's authentication when it has one.</summary>
    private static async Task<IResult> RefuseAsync(HttpContext context)
    {
        var signedIn = context.User.Identity?.IsAuthenticated == true;
        var schemes = context.RequestServices.GetService<IAuthenticationSchemeProvider>();
        var scheme = schemes is null ? null : signedIn ? await schemes.GetDefaultForbidSchemeAsync().ConfigureAwait(false) : await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false);
        return scheme is not null ? (signedIn ? Results.Forbid() : Results.Challenge())
            : ConnectPages.Problem(context, signedIn ? 403 : 401, "Not allowed", signedIn ? "You may not connect this tenant to Salesforce." : "Sign in to connect to Salesforce.");
    }

    private static ISalesforceConnector Connector(HttpContext context) => context.RequestServices.GetRequiredService<ISalesforceConnector>();

    private static string? Value(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values.ToString();

    private static string Hash(string state) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(state))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static SalesforceConnectResult Failed(string error, string message) => new() { Status = SalesforceConnectStatus.Failed, Error = error, Message = message };
}
