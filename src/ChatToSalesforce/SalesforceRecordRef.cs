namespace ChatToSalesforce;

/// <summary>A reference to a Salesforce record and what the export did to it.</summary>
/// <param name="ObjectType">The sObject type, for example <c>Contact</c>.</param>
/// <param name="Id">The 18-character record id.</param>
/// <param name="Change">Whether the record was created, updated or left unchanged.</param>
public sealed record SalesforceRecordRef(string ObjectType, string Id, RecordChange Change);
