using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>A tenant's options, validated when loaded, handed to the transport types that read options through the options interfaces.</summary>
internal sealed class FixedOptions(SalesforceChatExportOptions value) : IOptionsMonitor<SalesforceChatExportOptions>, IOptions<SalesforceChatExportOptions>
{
    public SalesforceChatExportOptions CurrentValue => value;

    public SalesforceChatExportOptions Value => value;

    public SalesforceChatExportOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<SalesforceChatExportOptions, string?> listener) => null;
}
