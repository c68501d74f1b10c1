namespace ChatToSalesforce;

/// <summary>The export configuration does not fit the org (for example a mapping to a field that does not exist or cannot be written).</summary>
/// <remarks>Reported on the first export that needs the setting, with the setting and the field named; fix the configuration or the org.</remarks>
public sealed class ExportConfigurationException : ChatToSalesforceException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="setting">The configuration setting at fault, for example <c>FieldMappings[2].Target</c>.</param>
    /// <param name="message">What is wrong and what to do.</param>
    public ExportConfigurationException(string setting, string message)
        : base($"{setting}: {message}")
    {
        Setting = setting;
    }

    /// <summary>Gets the configuration setting at fault.</summary>
    public string Setting { get; }
}
