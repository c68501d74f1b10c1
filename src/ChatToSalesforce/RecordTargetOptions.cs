namespace ChatToSalesforce;

/// <summary>Configures the generic record target (<see cref="ExportMode.Record"/>).</summary>
public sealed class RecordTargetOptions
{
    /// <summary>Gets or sets the sObject written, for example <c>Chat_Lead__c</c>.</summary>
    public string? ObjectType { get; set; }

    /// <summary>Gets or sets the field (one of the mapped targets) used to find an existing record to update; <see langword="null"/> always creates.</summary>
    public string? KeyField { get; set; }
}
