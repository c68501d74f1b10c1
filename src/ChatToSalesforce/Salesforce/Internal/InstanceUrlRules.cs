namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Which URLs may be used as an instance URL.</summary>
/// <remarks>
/// Accepted: https My Domain hosts in all their forms: <c>acme.my.salesforce.com</c>, sandboxes
/// <c>acme--uat.sandbox.my.salesforce.com</c>, partitions such as <c>acme.develop.my.salesforce.com</c>,
/// <c>acme.scratch.my.salesforce.com</c>, <c>.demo.</c>, <c>.free.</c>, <c>.trailblaze.</c>, <c>.patch.</c>, plus the
/// government (<c>.my.salesforce.mil</c>) and China (<c>.my.sfcrmproducts.cn</c>) clouds. Other <c>*.salesforce.com</c>
/// hosts (legacy instance hosts) are still accepted; the login/test hosts never. Anything else only with AllowTestEndpoint.
/// </remarks>
internal static class InstanceUrlRules
{
    private static readonly string[] MyDomainSuffixes = [".my.salesforce.com", ".my.salesforce.mil", ".my.sfcrmproducts.cn"];

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

        if (!IsMyDomainHost(url.Host))
        {
            if (url.Host.EndsWith(".lightning.force.com", StringComparison.OrdinalIgnoreCase))
            {
                var name = url.Host[..^".lightning.force.com".Length];
                return $"'{url.Host}' is the Lightning Experience (browser) host; the API lives on the My Domain host, for example https://{name}.my.salesforce.com.";
            }

            if (!IsLegacySalesforceHost(url.Host))
            {
                return $"'{url.Host}' is not a Salesforce My Domain host; use your org's My Domain URL ending in .my.salesforce.com (set AllowTestEndpoint to use a local emulator).";
            }
        }

        if (url.AbsolutePath.Length > 1 || !string.IsNullOrEmpty(url.Query))
        {
            return $"'{url}' has a path; give only the scheme and host, for example https://acme.my.salesforce.com.";
        }

        return null;
    }

    /// <summary>Returns why the <c>instance_url</c> of a token response cannot be used, or <see langword="null"/>.</summary>
    public static string? CheckTokenInstanceUrl(string? instanceUrl, bool allowTestEndpoint)
    {
        if (string.IsNullOrWhiteSpace(instanceUrl) || !Uri.TryCreate(instanceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return "The token response has no usable instance_url.";
        }

        if (!allowTestEndpoint && url.Scheme != Uri.UriSchemeHttps)
        {
            return "The token response's instance_url is not https; it is refused (set AllowTestEndpoint only for a local emulator).";
        }

        return null;
    }

    /// <summary>Whether the host is a My Domain host (production, sandbox or partitioned).</summary>
    public static bool IsMyDomainHost(string host)
    {
        foreach (var suffix in MyDomainSuffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                var name = host.AsSpan(0, host.Length - suffix.Length);
                return name[0] != '.' && name[^1] != '.' && name[0] != '-';
            }
        }

        return false;
    }

    /// <summary>Whether the host is another <c>*.salesforce.com</c> host (legacy instance hosts such as <c>na1.salesforce.com</c>), accepted for older configurations.</summary>
    public static bool IsLegacySalesforceHost(string host) =>
        host.EndsWith(".salesforce.com", StringComparison.OrdinalIgnoreCase)
        && host.Length > ".salesforce.com".Length
        && !host.StartsWith("my.", StringComparison.OrdinalIgnoreCase)
        && !host.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
        && !host.StartsWith('.')
        && !host.StartsWith('-');

    /// <summary>Whether the URL is the generic login host (production or sandbox).</summary>
    public static bool IsLoginHost(Uri url) =>
        string.Equals(url.Host, "login.salesforce.com", StringComparison.OrdinalIgnoreCase)
        || string.Equals(url.Host, "test.salesforce.com", StringComparison.OrdinalIgnoreCase);
}
