namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Reads the org and user ids out of an identity URL (<c>.../id/{orgId}/{userId}</c>).</summary>
internal static class IdentityUrl
{
    public static (string? OrganizationId, string? UserId) Parse(Uri? identity)
    {
        if (identity is null)
        {
            return (null, null);
        }

        var segments = identity.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.LastIndexOf(segments, "id");
        return i >= 0 && segments.Length >= i + 3
            ? (segments[i + 1], segments[i + 2])
            : (null, null);
    }
}
