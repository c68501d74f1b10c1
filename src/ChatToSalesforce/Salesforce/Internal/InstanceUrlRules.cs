namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Which URLs may be used as an instance URL, a token URL or a login URL.</summary>
/// <remarks>
/// Accepted: https My Domain hosts in all their forms: <c>acme.my.salesforce.com</c>, sandboxes
/// <c>acme--uat.sandbox.my.salesforce.com</c>, partitions such as <c>acme.develop.my.salesforce.com</c>,
/// <c>acme.scratch.my.salesforce.com</c>, <c>.demo.</c>, <c>.free.</c>, <c>.trailblaze.</c>, <c>.patch.</c>, plus the
/// government (<c>.my.salesforce.mil</c>) and China (<c>.my.sfcrmproducts.cn</c>) clouds. Other <c>*.salesforce.com</c>
/// hosts (legacy instance hosts) are still accepted as instance URLs; the login/test hosts never. A token or login URL
/// carries credentials (client secret, refresh token, JWT), so it must be a login host (<c>login.salesforce.com</c>,
/// <c>test.salesforce.com</c>) or a My Domain host. No URL may carry a user name or password, and only port 443 is
/// accepted. Anything else only with AllowTestEndpoint (which still refuses user-info).
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

        if (UserInfoProblem(url) is { } userInfo)
        {
            return userInfo;
        }

        if (allowTestEndpoint)
        {
            return url.Scheme is "http" or "https" ? null : $"'{Display(url)}' must be an http or https URL.";
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return $"'{Display(url)}' must use https; Salesforce only serves the API over https (set AllowTestEndpoint only for a local emulator).";
        }

        if (IsLoginHost(url))
        {
            return $"'{url.Host}' is a login host, not an instance URL; use your org's My Domain URL (for example https://acme.my.salesforce.com, or https://acme--uat.sandbox.my.salesforce.com for a sandbox).";
        }

        if (!IsMyDomainHost(url.Host))
        {
            if (LightningProblem(url) is { } lightning)
            {
                return lightning;
            }

            if (!IsLegacySalesforceHost(url.Host))
            {
                return $"'{url.Host}' is not a Salesforce My Domain host; use your org's My Domain URL ending in .my.salesforce.com (set AllowTestEndpoint to use a local emulator).";
            }
        }

        if (PortProblem(url) is { } port)
        {
            return port;
        }

        if (url.AbsolutePath.Length > 1 || !string.IsNullOrEmpty(url.Query))
        {
            return $"'{Display(url)}' has a path; give only the scheme and host, for example https://acme.my.salesforce.com.";
        }

        return null;
    }

    /// <summary>
    /// Returns why <paramref name="url"/> may not receive a token request (<c>Authentication.TokenUrl</c>, <c>Authentication.LoginUrl</c>),
    /// or <see langword="null"/>. The request carries the client secret, the refresh token or the signed JWT, so only Salesforce
    /// login hosts and My Domain hosts are accepted.
    /// </summary>
    public static string? CheckTokenUrl(Uri url, bool allowTestEndpoint)
    {
        if (!url.IsAbsoluteUri)
        {
            return $"'{url}' is not an absolute URL; use your org's My Domain URL (for example https://acme.my.salesforce.com), https://login.salesforce.com or https://test.salesforce.com.";
        }

        if (UserInfoProblem(url) is { } userInfo)
        {
            return userInfo;
        }

        if (allowTestEndpoint)
        {
            return url.Scheme is "http" or "https" ? null : $"'{Display(url)}' must be an http or https URL.";
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return $"'{Display(url)}' must use https; the token request carries credentials and Salesforce only accepts it over https (set AllowTestEndpoint only for a local emulator).";
        }

        if (IsLoginHost(url) || IsMyDomainHost(url.Host))
        {
            return PortProblem(url);
        }

        return LightningProblem(url)
               ?? $"'{url.Host}' is not a Salesforce login host or My Domain host; the token request carries the client secret, refresh token or signed JWT, so it only goes to login.salesforce.com, test.salesforce.com or your org's My Domain (for example https://acme.my.salesforce.com or https://acme--uat.sandbox.my.salesforce.com). Set AllowTestEndpoint only for a local emulator.";
    }

    /// <summary>Returns why the <c>instance_url</c> of a token response cannot be used, or <see langword="null"/>.</summary>
    public static string? CheckTokenInstanceUrl(string? instanceUrl, bool allowTestEndpoint)
    {
        if (string.IsNullOrWhiteSpace(instanceUrl) || !Uri.TryCreate(instanceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return "The token response has no usable instance_url.";
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "The token response's instance_url has a user name or password before the host; it is refused.";
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

    /// <summary>The URL without user-info and query, for messages.</summary>
    private static string Display(Uri url) =>
        url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static string? UserInfoProblem(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo)
            ? null
            : $"'{Display(url)}' has a user name or password before the host ('...@{url.Host}'); remove it: credentials belong in Authentication, never in a URL.";

    private static string? PortProblem(Uri url) =>
        url.Port == 443
            ? null
            : $"'{Display(url)}' uses port {url.Port}; Salesforce serves https on the standard port 443 only, so remove ':{url.Port}' (set AllowTestEndpoint only for a local emulator).";

    private static string? LightningProblem(Uri url)
    {
        if (!url.Host.EndsWith(".lightning.force.com", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = url.Host[..^".lightning.force.com".Length];
        return $"'{url.Host}' is the Lightning Experience (browser) host; the API lives on the My Domain host, for example https://{name}.my.salesforce.com.";
    }
}
