using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <content>
/// Who a token belongs to: the identity URL <c>GET /id/{orgId}/{userId}</c> (the token response's <c>id</c>) and
/// <c>GET /services/oauth2/userinfo</c>. Shapes from Salesforce's "Identity URLs"
/// (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm; field list as in jsforce's IdentityInfo,
/// https://jsforce.github.io/jsforce/types/types_common.IdentityInfo.html). Neither counts as an API call.
/// </content>
internal sealed partial class OAuthServer
{
    /// <summary>GET /id/{orgId}/{userId}: the user and org of the identity URL, for a token of that org (access_token or oauth_token in the query works too).</summary>
    public ApiResponse Identity(ApiRequest request, string orgId, string userId)
    {
        if (request.Method is not ("GET" or "POST"))
        {
            return Text(405, "Method Not Allowed");
        }

        var authorization = request.Header("Authorization");
        if (authorization is null && (request.QueryParameter("oauth_token") ?? request.QueryParameter("access_token")) is { Length: > 0 } queryToken)
        {
            authorization = "Bearer " + queryToken;
        }

        var session = Authenticate(authorization);
        if (session is null)
        {
            return Text(403, "Bad_OAuth_Token");
        }

        var user = _org.Get(userId);
        if (SalesforceId.Normalize(orgId) != _org.OrganizationId || user is null || user.Def.Name != "User")
        {
            return Text(404, "Bad_Id");
        }

        var instance = _instanceUrl().GetLeftPart(UriPartial.Authority);
        var username = Json.Str(user["Username"]);
        var body = new JsonObject
        {
            ["id"] = $"{IdentityHost()}/id/{_org.OrganizationId}/{user.Id}",
            ["asserted_user"] = session.UserId == user.Id,
            ["user_id"] = user.Id,
            ["organization_id"] = _org.OrganizationId,
            ["username"] = username,
            ["nick_name"] = username?.Split('@')[0],
            ["display_name"] = Json.Str(user["Name"]),
            ["email"] = Json.Str(user["Email"]),
            ["email_verified"] = true,
            ["first_name"] = Json.Str(user["FirstName"]),
            ["last_name"] = Json.Str(user["LastName"]),
            ["timezone"] = "GMT",
            ["photos"] = Photos(instance, user.Id),
            ["addr_street"] = null,
            ["addr_city"] = null,
            ["addr_state"] = null,
            ["addr_country"] = null,
            ["addr_zip"] = null,
            ["mobile_phone"] = null,
            ["mobile_phone_verified"] = false,
            ["is_lightning_login_user"] = false,
            ["status"] = new JsonObject { ["created_date"] = null, ["body"] = null },
            ["urls"] = Urls(instance, user.Id),
            ["active"] = Json.Bool(user["IsActive"]),
            ["user_type"] = "STANDARD",
            ["language"] = "en_US",
            ["locale"] = "en_US",
            ["utcOffset"] = 0,
            ["last_modified_date"] = Json.Str(user["LastModifiedDate"]),
            ["is_app_installed"] = true,
        };
        return new ApiResponse(200, body);
    }

    /// <summary>GET /services/oauth2/userinfo: the OpenID Connect user info of the token's user.</summary>
    public ApiResponse UserInfo(ApiRequest request)
    {
        if (request.Method is not ("GET" or "POST"))
        {
            return ApiResponse.OAuthError(400, "invalid_request", "must use HTTP GET or POST");
        }

        var session = Authenticate(request.Header("Authorization"));
        var user = session is null ? null : _org.Get(session.UserId);
        if (user is null)
        {
            return ApiResponse.Error(401, [new ApiError("INVALID_SESSION_ID", "Session expired or invalid")]);
        }

        var instance = _instanceUrl().GetLeftPart(UriPartial.Authority);
        var body = new JsonObject
        {
            ["sub"] = $"{IdentityHost()}/id/{_org.OrganizationId}/{user.Id}",
            ["user_id"] = user.Id,
            ["organization_id"] = _org.OrganizationId,
            ["preferred_username"] = Json.Str(user["Username"]),
            ["nickname"] = Json.Str(user["Username"])?.Split('@')[0],
            ["name"] = Json.Str(user["Name"]),
            ["email"] = Json.Str(user["Email"]),
            ["email_verified"] = true,
            ["given_name"] = Json.Str(user["FirstName"]),
            ["family_name"] = Json.Str(user["LastName"]),
            ["zoneinfo"] = "GMT",
            ["photos"] = Photos(instance, user.Id),
            ["profile"] = $"{instance}/{user.Id}",
            ["picture"] = $"{instance}/profilephoto/005/F",
            ["address"] = new JsonObject(),
            ["urls"] = Urls(instance, user.Id),
            ["active"] = true,
            ["user_type"] = "STANDARD",
            ["language"] = "en_US",
            ["locale"] = "en_US",
            ["utcOffset"] = 0,
            ["updated_at"] = Json.Str(user["LastModifiedDate"]),
            ["is_app_installed"] = true,
        };
        return new ApiResponse(200, body);
    }

    /// <summary>
    /// Where identity URLs point: <c>https://login.salesforce.com</c>, as Salesforce's do; but the org's own loopback URL while it is
    /// served over HTTP, since a client of a served emulator cannot reach login.salesforce.com (the org answers /id/ on any host).
    /// </summary>
    private string IdentityHost()
    {
        var instance = _instanceUrl();
        return instance.Scheme == Uri.UriSchemeHttp ? instance.GetLeftPart(UriPartial.Authority) : "https://login.salesforce.com";
    }

    private static JsonObject Photos(string instance, string userId) => new()
    {
        ["picture"] = $"{instance}/profilephoto/005/F",
        ["thumbnail"] = $"{instance}/profilephoto/005/T",
    };

    private JsonObject Urls(string instance, string userId) => new()
    {
        ["enterprise"] = $"{instance}/services/Soap/c/{{version}}/{_org.OrganizationId[..15]}",
        ["metadata"] = $"{instance}/services/Soap/m/{{version}}/{_org.OrganizationId[..15]}",
        ["partner"] = $"{instance}/services/Soap/u/{{version}}/{_org.OrganizationId[..15]}",
        ["rest"] = $"{instance}/services/data/v{{version}}/",
        ["sobjects"] = $"{instance}/services/data/v{{version}}/sobjects/",
        ["search"] = $"{instance}/services/data/v{{version}}/search/",
        ["query"] = $"{instance}/services/data/v{{version}}/query/",
        ["recent"] = $"{instance}/services/data/v{{version}}/recent/",
        ["tooling_soap"] = $"{instance}/services/Soap/T/{{version}}/{_org.OrganizationId[..15]}",
        ["tooling_rest"] = $"{instance}/services/data/v{{version}}/tooling/",
        ["profile"] = $"{instance}/{userId}",
        ["custom_domain"] = instance,
    };

    private static ApiResponse Text(int status, string text) =>
        new(status) { Raw = Encoding.UTF8.GetBytes(text), ContentType = "text/plain;charset=UTF-8" };
}
