namespace ChatToSalesforce.Salesforce;

/// <summary>One sObject of the org's object list, with what the connecting user may do with it.</summary>
/// <param name="Name">The API name, for example <c>Contact</c> or <c>Chat_Survey__c</c>.</param>
/// <param name="Label">The label shown in Salesforce.</param>
/// <param name="IsCustom">Whether it is a custom object.</param>
/// <param name="IsCreateable">Whether the connecting user can create its records.</param>
/// <param name="IsQueryable">Whether the connecting user can query its records.</param>
public sealed record SalesforceObjectSummary(string Name, string? Label, bool IsCustom, bool IsCreateable, bool IsQueryable);
