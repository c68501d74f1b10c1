namespace ChatToSalesforce.Connect;

/// <summary>What Salesforce sent to the callback URL: <c>code</c> and <c>state</c>, or <c>error</c> and <c>error_description</c>.</summary>
public sealed class SalesforceCallback
{
    /// <summary>The callback URL the request arrived at, without its query (it must be the one the flow started with).</summary>
    public required Uri RedirectUri { get; init; }

    /// <summary>The <c>code</c> query value.</summary>
    public string? Code { get; init; }

    /// <summary>The <c>state</c> query value.</summary>
    public string? State { get; init; }

    /// <summary>The <c>error</c> query value (for example <c>access_denied</c>).</summary>
    public string? Error { get; init; }

    /// <summary>The <c>error_description</c> query value.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>The tenant the host expects (the signed-in admin's tenant); a state issued for another tenant is then rejected.</summary>
    public string? ExpectedTenantId { get; init; }

    /// <summary>Reads a callback URL's query.</summary>
    /// <param name="callbackUrl">The full URL the browser was sent to.</param>
    /// <param name="expectedTenantId">The tenant the host expects, if it knows.</param>
    /// <returns>The callback.</returns>
    public static SalesforceCallback FromUrl(Uri callbackUrl, string? expectedTenantId = null)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in callbackUrl.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            values.TryAdd(key, eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')));
        }

        return new SalesforceCallback
        {
            RedirectUri = new Uri(callbackUrl.GetLeftPart(UriPartial.Path)),
            Code = values.GetValueOrDefault("code"),
            State = values.GetValueOrDefault("state"),
            Error = values.GetValueOrDefault("error"),
            ErrorDescription = values.GetValueOrDefault("error_description"),
            ExpectedTenantId = expectedTenantId,
        };
    }

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceCallback {{ Error = {Error} }}";
}
