namespace ChatToSalesforce;

/// <summary>What happens to the fields of a person that already exists in Salesforce.</summary>
public enum UpdatePolicy
{
    /// <summary>Only write fields that are blank in Salesforce.</summary>
    FillBlanks,

    /// <summary>Write every mapped field (except <see cref="SalesforceChatExportOptions.ProtectedFields"/>).</summary>
    Overwrite,

    /// <summary>Never update an existing person.</summary>
    Never,
}
