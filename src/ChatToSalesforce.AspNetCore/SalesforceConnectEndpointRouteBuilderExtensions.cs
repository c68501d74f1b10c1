using ChatToSalesforce.AspNetCore;
using ChatToSalesforce.AspNetCore.Internal;
using ChatToSalesforce.Connect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the "Connect to Salesforce" endpoints of a ChatToSalesforce host.</summary>
public static class SalesforceConnectEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET {pattern}/connect</c> (redirects the admin's browser to Salesforce's login and Allow page for a tenant),
    /// <c>GET {pattern}/callback</c> (completes the OAuth web-server flow with PKCE and stores the tenant's connection) and
    /// <c>POST {pattern}/disconnect</c> (revokes it). Register the callback URL <c>https://your-host{pattern}/callback</c> on
    /// the External Client App. Needs <c>AddSalesforceChatExport</c> and a connection store.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The path the three endpoints live under, without route parameters; <c>/salesforce</c> by default.</param>
    /// <param name="configure">Who may connect which tenant, and what the admin sees afterwards.</param>
    /// <returns>The endpoints' group, to add the host's conventions (for example <c>.RequireAuthorization("admins")</c>).</returns>
    /// <exception cref="ArgumentException">The pattern is empty or has route parameters.</exception>
    /// <exception cref="InvalidOperationException">The SDK is not registered.</exception>
    public static RouteGroupBuilder MapSalesforceConnect(this IEndpointRouteBuilder endpoints, string pattern = "/salesforce", Action<SalesforceConnectEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var path = "/" + pattern.Trim().Trim('/');
        if (path.Length == 1 || path.Contains('{', StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The pattern '{pattern}' must be a plain path such as /salesforce (not empty, no route parameters or query): the callback URL registered on the External Client App is built from it.", nameof(pattern));
        }

        if (endpoints.ServiceProvider.GetService<ISalesforceConnector>() is null)
        {
            throw new InvalidOperationException("MapSalesforceConnect needs the ChatToSalesforce SDK: call builder.Services.AddSalesforceChatExport(...) and register a connection store (builder.UseTenantStore(...) or an ISalesforceConnectionStore) before mapping the endpoints.");
        }

        var options = new SalesforceConnectEndpointOptions();
        configure?.Invoke(options);
        var handlers = new ConnectEndpoints(path, options);
        var group = endpoints.MapGroup(path);
        group.MapGet("/connect", (RequestDelegate)handlers.ConnectAsync).WithDisplayName("Salesforce connect");
        group.MapGet("/callback", (RequestDelegate)handlers.CallbackAsync).WithDisplayName("Salesforce connect callback");
        group.MapPost("/disconnect", (RequestDelegate)handlers.DisconnectAsync).WithDisplayName("Salesforce disconnect");
        return group;
    }
}
