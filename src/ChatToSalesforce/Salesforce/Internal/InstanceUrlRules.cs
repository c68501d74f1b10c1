namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Which URLs may be used as an instance URL.</summary>
internal static class InstanceUrlRules
{
    /// <summary>Returns why <paramref name="url"/> is not a usable instance URL, or <see langword="null"/>.</summary>
    public static string? Check(Uri? url, bool allowTestEndpoint)
    {
        if (url is null)
        {
            return "is required; set it to your org's My Domain URL, for example https://acme.my.salesforce.com (Setup → My Domain).";
        }

        if (!url.IsAbsoluteUri)
        {
            return $"'{url}' is not an absolute URL; use your org's My Domain URL, for example https://acme.my.salesforce.com.";
        }

        if (allowTestEndpoint)
        {
            return url.Scheme is "http" or "https" ? null : $"'{url}' must be an http or https URL.";
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return $"'{url}' must use https; Salesforce only serves the API over https (set AllowTestEndpoint only for a local emulator).";
        }

        if (IsLoginHost(url))
        {
            return $"'{url.Host}' is a login host, not an instance URL; use your org's My Domain URL (for example https://acme.my.salesforce.com, or https://acme--uat.sandbox.my.salesforce.com for a sandbox).";
        }

        if (!url.Host.EndsWith(".salesforce.com", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{url.Host}' is not a Salesforce host; use your org's My Domain URL ending in .my.salesforce.com (set AllowTestEndpoint to use a local emulator).";
        }

        if (url.AbsolutePath.Length > 1)
        {
            return $"'{url}' has a path; give only the scheme and host, for example https://acme.my.salesforce.com.";
        }

        return null;
    }

    /// <summary>Whether the URL is the generic login host (production or sandbox).</summary>
    public static bool IsLoginHost(Uri url) =>
        string.Equals(url.Host, "login.salesforce.com", StringComparison.OrdinalIgnoreCase)
        || string.Equals(url.Host, "test.salesforce.com", StringComparison.OrdinalIgnoreCase);
}
