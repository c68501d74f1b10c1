using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Tests.Infrastructure;

/// <summary>Conversations, options and describe metadata built in code.</summary>
internal static class TestData
{
    public const string ContactId = "003000000000001AAA";
    public const string OtherContactId = "003000000000002AAA";
    public const string LeadId = "00Q000000000001AAA";
    public const string AgentUserId = "005000000000010AAA";
    public const string DefaultOwnerId = "005000000000020AAA";
    public const string TaskId = "00T000000000001AAA";
    public const string CaseId = "500000000000001AAA";
    public const string CampaignId = "701000000000001AAA";

    public static readonly DateTimeOffset Started = new(2026, 11, 21, 14, 0, 0, TimeSpan.Zero);

    public static Conversation Conversation(
        string id = "conv-1",
        string? email = "ada@example.com",
        string? firstName = "Ada",
        string? lastName = "Lovelace",
        string? name = null,
        string? phone = null,
        string? company = null,
        ChatAgent? agent = null,
        IReadOnlyDictionary<string, string?>? custom = null,
        IReadOnlyList<ChatMessage>? messages = null,
        IReadOnlyList<ChatAttachment>? attachments = null,
        string? channel = "web") => new()
    {
        Id = id,
        Channel = channel,
        StartedAt = Started,
        EndedAt = Started.AddMinutes(10),
        Visitor = new ChatVisitor { Email = email, FirstName = firstName, LastName = lastName, Name = name, Phone = phone, Company = company },
        Agent = agent,
        CustomFields = custom ?? new Dictionary<string, string?>(),
        Messages = messages ?? [new ChatMessage { Role = ChatRole.Visitor, SenderName = "Ada", Text = "Hello", SentAt = Started.AddMinutes(1) }],
        Attachments = attachments ?? [],
    };

    public static SalesforceChatExportOptions Options(Action<SalesforceChatExportOptions>? configure = null)
    {
        var options = new SalesforceChatExportOptions
        {
            InstanceUrl = new Uri("https://acme.my.salesforce.com"),
            Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.AccessToken, AccessToken = "token" },
        };
        configure?.Invoke(options);
        return options;
    }

    public static SalesforceFieldDescription Field(
        string name,
        string type = "string",
        int length = 255,
        bool createable = true,
        bool updateable = true,
        bool restricted = false,
        bool externalId = false,
        params string[] picklist) =>
        new(name, type, length, Nillable: true, createable, updateable, DefaultedOnCreate: false, externalId, restricted, picklist);

    public static SalesforceObjectDescription Contact(params SalesforceFieldDescription[] extra) => new("Contact",
    [
        Field("Id", "id", 18, createable: false, updateable: false),
        Field("FirstName", length: 40),
        Field("LastName", length: 80),
        Field("Email", "email", 80),
        Field("Phone", "phone", 40),
        Field("OwnerId", "reference", 18),
        Field("Mongoose_Student_Type__c"),
        Field("Full_Name__c", createable: false, updateable: false),
        .. extra,
    ], "003");

    public static SalesforceObjectDescription Lead(params SalesforceFieldDescription[] extra) => new("Lead",
    [
        Field("Id", "id", 18, createable: false, updateable: false),
        Field("FirstName", length: 40),
        Field("LastName", length: 80),
        Field("Email", "email", 80),
        Field("Phone", "phone", 40),
        Field("Company"),
        Field("OwnerId", "reference", 18),
        Field("Status", "picklist", 40, picklist: ["Open", "Working"]),
        Field("LeadSource", "picklist", 40, picklist: ["Web", "Chat"]),
        .. extra,
    ], "00Q");

    public static SalesforceObjectDescription Task(params SalesforceFieldDescription[] extra) => new("Task",
    [
        Field("Id", "id", 18, createable: false, updateable: false),
        Field("Subject", "combobox", 255),
        Field("Description", "textarea", 32_000),
        Field("Status", "picklist", 40),
        Field("ActivityDate", "date", 0),
        Field("Type", "picklist", 40),
        Field("WhoId", "reference", 18),
        Field("OwnerId", "reference", 18),
        Field("Chat_Conversation_Id__c", length: 80, externalId: true),
        .. extra,
    ], "00T");

    public static SalesforceObjectDescription Case(params SalesforceFieldDescription[] extra) => new("Case",
    [
        Field("Id", "id", 18, createable: false, updateable: false),
        Field("Subject", length: 255),
        Field("Description", "textarea", 32_000),
        Field("Origin", "picklist", 40),
        Field("SuppliedEmail", "email", 80),
        Field("SuppliedName", length: 80),
        Field("SuppliedPhone", length: 40),
        Field("SuppliedCompany", length: 80),
        Field("ContactId", "reference", 18),
        Field("OwnerId", "reference", 18),
        .. extra,
    ], "500");

    public static SalesforceObjectDescription Event(params SalesforceFieldDescription[] extra) => new("Event",
    [
        Field("Id", "id", 18, createable: false, updateable: false),
        Field("Subject", "combobox", 255),
        Field("Description", "textarea", 32_000),
        Field("StartDateTime", "datetime", 0),
        Field("EndDateTime", "datetime", 0),
        Field("WhoId", "reference", 18),
        Field("OwnerId", "reference", 18),
        .. extra,
    ], "00U");

    /// <summary>The describe of an object as Salesforce's JSON (for the batched reader).</summary>
    public static JsonObject DescribeJson(SalesforceObjectDescription description)
    {
        var fields = new JsonArray();
        foreach (var f in description.Fields)
        {
            fields.Add(new JsonObject
            {
                ["name"] = f.Name,
                ["type"] = f.Type,
                ["length"] = f.Length,
                ["nillable"] = f.Nillable,
                ["createable"] = f.Createable,
                ["updateable"] = f.Updateable,
                ["defaultedOnCreate"] = f.DefaultedOnCreate,
                ["externalId"] = f.IsExternalId,
                ["restrictedPicklist"] = f.IsRestrictedPicklist,
                ["picklistValues"] = new JsonArray(f.PicklistValues.Select(v => (JsonNode)new JsonObject { ["value"] = v, ["active"] = true }).ToArray()),
            });
        }

        return new JsonObject { ["name"] = description.Name, ["keyPrefix"] = description.KeyPrefix, ["fields"] = fields };
    }

    public static SalesforceObjectDescription Describe(string objectType) => objectType switch
    {
        "Contact" => Contact(),
        "Lead" => Lead(),
        "Task" => Task(),
        "Case" => Case(),
        "Event" => Event(),
        "Chat_Lead__c" => new SalesforceObjectDescription("Chat_Lead__c",
        [
            Field("Id", "id", 18, createable: false, updateable: false),
            Field("OwnerId", "reference", 18),
            Field("Email__c", "email", 80),
            Field("Visitor_Key__c", length: 80, externalId: true),
            Field("Topic__c", "textarea", 1000),
        ], "a01"),
        _ => throw new ArgumentOutOfRangeException(nameof(objectType), objectType, "no canned describe"),
    };
}
