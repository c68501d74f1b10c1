using ChatToSalesforce.Connect;
using Microsoft.AspNetCore.Http;

namespace ChatToSalesforce.AspNetCore;

/// <summary>
/// How <c>MapSalesforceConnect</c> decides which tenant is connected, who may connect it, and what the admin sees afterwards.
/// Every hook is optional; the defaults are safe: the tenant comes from the <c>tenant</c> query (or form) value, only a
/// signed-in user may connect or disconnect it, and the callback renders a small HTML page.
/// </summary>
public sealed class SalesforceConnectEndpointOptions
{
    /// <summary>
    /// The tenant of the request, for example from the signed-in user's claims. When set it is authoritative: the
    /// <c>tenant</c> query value is not read, and the callback only completes a connection started for this tenant.
    /// Return <see langword="null"/> when the user has no tenant (the request is then refused).
    /// Default: the <c>tenant</c> query value (or form field, on disconnect).
    /// </summary>
    public Func<HttpContext, ValueTask<string?>>? ResolveTenant { get; set; }

    /// <summary>
    /// Whether the request's user may connect (and disconnect) the tenant. Default: any authenticated user. Replace it
    /// with your rule, for example "an admin of that tenant"; returning <see langword="true"/> for everyone lets anonymous
    /// visitors connect any tenant, which only a test host should do.
    /// </summary>
    public Func<HttpContext, string, ValueTask<bool>>? CanConnect { get; set; }

    /// <summary>
    /// The login host or My Domain to send the tenant's admin to (for example <c>https://acme.my.salesforce.com</c>), or
    /// <see langword="null"/> for login.salesforce.com (test.salesforce.com when the connect request says <c>sandbox=true</c>).
    /// </summary>
    public Func<HttpContext, string, ValueTask<Uri?>>? ResolveMyDomain { get; set; }

    /// <summary>
    /// The callback URL registered on the External Client App. Default: the request's scheme and host, its path base, and
    /// <c>{pattern}/callback</c>. Set it when the app runs behind a proxy that changes the host or scheme (or use the
    /// forwarded-headers middleware).
    /// </summary>
    public Uri? CallbackUrl { get; set; }

    /// <summary>The OAuth scopes to ask for. Default: <c>api refresh_token</c>.</summary>
    public IReadOnlyList<string> Scopes { get; set; } = ["api", "refresh_token"];

    /// <summary>The OAuth <c>prompt</c> value, for example <c>login consent</c> to always show the login page; none by default.</summary>
    public string? Prompt { get; set; }

    /// <summary>
    /// What the callback answers. Default: a small HTML page ("Connected as … to org …", "access was denied", or the
    /// failure's message), with status 200, or 400 when the connection failed.
    /// </summary>
    public Func<HttpContext, SalesforceConnectResult, Task<IResult>>? OnCompleted { get; set; }

    /// <summary>What the disconnect endpoint answers. Default: a small HTML page with the result's message.</summary>
    public Func<HttpContext, SalesforceDisconnectResult, Task<IResult>>? OnDisconnected { get; set; }
}
