using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>A field as describe reports it.</summary>
internal sealed record FieldDef
{
    public required string Name { get; init; }
    public string? Label { get; init; }
    public string DisplayLabel => Label ?? Name;
    /// <summary>The describe type: id, string, textarea, email, phone, url, double, int, currency, boolean, date, datetime, picklist, combobox, reference, base64.</summary>
    public required string Type { get; init; }
    public int Length { get; init; }
    public bool Nillable { get; init; } = true;
    public bool Createable { get; init; } = true;
    public bool Updateable { get; init; } = true;
    public bool DefaultedOnCreate { get; init; }
    public bool ExternalId { get; init; }
    public bool Unique { get; init; }
    public bool IdLookup { get; init; }
    public bool CaseSensitive { get; init; }
    public bool RestrictedPicklist { get; init; }
    public bool Custom { get; init; }
    public bool Calculated { get; init; }
    public bool AutoNumber { get; init; }
    public bool NameField { get; init; }
    public IReadOnlyList<string> PicklistValues { get; init; } = [];
    public string? DefaultPicklistValue { get; init; }
    public JsonNode? DefaultValue { get; init; }
    /// <summary>Target object names; empty for non-references; "*" means any object.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];
    public string? RelationshipName { get; init; }

    public bool IsText => Type is "string" or "textarea" or "email" or "phone" or "url" or "picklist" or "combobox";
    public bool IsReference => Type is "reference" or "id";
    public bool IsNumber => Type is "double" or "int" or "currency" or "percent";
    public bool Indexed => ExternalId || Unique || IdLookup || Type == "email";

    /// <summary>Required on create: not nillable, not defaulted, createable, not a checkbox.</summary>
    public bool RequiredOnCreate => !Nillable && !DefaultedOnCreate && Createable && Type != "boolean";
}

/// <summary>
/// An sObject type. The standard objects' field lists are shared by every org of a process (a cluster holds 1,000 orgs) and copied
/// on an org's first change to them (<see cref="Add"/>, the only mutation).
/// </summary>
internal sealed class ObjectDef
{
    private List<FieldDef> _ordered = [];
    private Dictionary<string, FieldDef> _fields = new(StringComparer.OrdinalIgnoreCase);
    private bool _shared;

    public required string Name { get; init; }
    public required string Label { get; init; }
    public required string LabelPlural { get; init; }
    public required string KeyPrefix { get; init; }
    public bool Custom { get; init; }
    public bool Createable { get; init; } = true;
    public bool Updateable { get; init; } = true;
    public bool Deletable { get; init; } = true;

    public IReadOnlyList<FieldDef> Fields => _ordered;

    public FieldDef? Field(string name) => _fields.GetValueOrDefault(name);

    /// <summary>A copy for one org that shares this definition's field lists until it changes them.</summary>
    public ObjectDef CopyShared()
    {
        _shared = true;
        return new ObjectDef
        {
            Name = Name,
            Label = Label,
            LabelPlural = LabelPlural,
            KeyPrefix = KeyPrefix,
            Custom = Custom,
            Createable = Createable,
            Updateable = Updateable,
            Deletable = Deletable,
            _ordered = _ordered,
            _fields = _fields,
            _shared = true,
        };
    }

    public void Add(FieldDef field)
    {
        if (_shared)
        {
            _ordered = [.. _ordered];
            _fields = new Dictionary<string, FieldDef>(_fields, StringComparer.OrdinalIgnoreCase);
            _shared = false;
        }

        if (_fields.TryGetValue(field.Name, out var existing))
        {
            _ordered[_ordered.IndexOf(existing)] = field;
        }
        else
        {
            _ordered.Add(field);
        }

        _fields[field.Name] = field;
    }

    /// <summary>Finds the reference field whose relationship name is <paramref name="relationship"/> (Owner → OwnerId).</summary>
    public FieldDef? Relationship(string relationship)
    {
        foreach (var f in _ordered)
        {
            if (f.RelationshipName is not null && string.Equals(f.RelationshipName, relationship, StringComparison.OrdinalIgnoreCase))
            {
                return f;
            }
        }

        return null;
    }
}

/// <summary>The standard objects and their standard fields (API-FACTS section 8, describe fixtures 69-72).</summary>
internal static class StandardSchema
{
    private static readonly string[] AnyWhat = ["Account", "Case", "Campaign", "Opportunity"];

    /// <summary>The standard objects built once per process; each org takes <see cref="ObjectDef.CopyShared"/> copies.</summary>
    public static readonly IReadOnlyList<ObjectDef> Shared = [.. Create()];

    public static IEnumerable<ObjectDef> Create()
    {
        yield return Build("User", "User", "Users", "005", o =>
        {
            o.Add(Text("Username", 80, required: true) with { Unique = true, IdLookup = true });
            o.Add(Text("LastName", 80, required: true, label: "Last Name"));
            o.Add(Text("FirstName", 40, label: "First Name"));
            o.Add(NameCompound());
            o.Add(Email("Email", 128, required: true));
            o.Add(Text("Alias", 8));
            o.Add(Bool("IsActive", true, label: "Active"));
            o.Add(Text("Title", 80));
            o.Add(Phone("Phone"));
        }, owner: false);
        yield return Build("Account", "Account", "Accounts", "001", o =>
        {
            o.Add(Text("Name", 255, required: true, label: "Account Name") with { NameField = true });
            o.Add(Picklist("Type", ["Prospect", "Customer - Direct", "Customer - Channel", "Partner", "Other"]));
            o.Add(Picklist("Industry", ["Agriculture", "Banking", "Education", "Technology", "Other"]));
            o.Add(Phone("Phone"));
            o.Add(Url("Website"));
            o.Add(TextArea("Description", 32000));
            o.Add(TextArea("BillingStreet", 255, "Billing Street"));
            o.Add(Text("BillingCity", 40, label: "Billing City"));
            o.Add(Text("BillingState", 80, label: "Billing State/Province"));
            o.Add(Text("BillingPostalCode", 20, label: "Billing Zip/Postal Code"));
            o.Add(Text("BillingCountry", 80, label: "Billing Country"));
            o.Add(new FieldDef { Name = "NumberOfEmployees", Label = "Employees", Type = "int" });
            o.Add(new FieldDef { Name = "AnnualRevenue", Label = "Annual Revenue", Type = "currency" });
            o.Add(Reference("ParentId", "Parent", ["Account"], label: "Parent Account ID"));
        });
        yield return Build("Contact", "Contact", "Contacts", "003", o =>
        {
            o.Add(Text("LastName", 80, required: true, label: "Last Name"));
            o.Add(Text("FirstName", 40, label: "First Name"));
            o.Add(Picklist("Salutation", ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]));
            o.Add(NameCompound());
            o.Add(Email("Email", 80) with { IdLookup = true });
            o.Add(Phone("Phone", label: "Business Phone"));
            o.Add(Phone("MobilePhone", label: "Mobile Phone"));
            o.Add(Text("Title", 128));
            o.Add(Text("Department", 80));
            o.Add(Picklist("LeadSource", ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"], label: "Lead Source"));
            o.Add(TextArea("Description", 32000, "Contact Description"));
            o.Add(Reference("AccountId", "Account", ["Account"], label: "Account ID"));
            o.Add(TextArea("MailingStreet", 255, "Mailing Street"));
            o.Add(Text("MailingCity", 40, label: "Mailing City"));
            o.Add(Text("MailingState", 80, label: "Mailing State/Province"));
            o.Add(Text("MailingPostalCode", 20, label: "Mailing Zip/Postal Code"));
            o.Add(Text("MailingCountry", 80, label: "Mailing Country"));
        });
        yield return Build("Lead", "Lead", "Leads", "00Q", o =>
        {
            o.Add(Text("LastName", 80, required: true, label: "Last Name"));
            o.Add(Text("FirstName", 40, label: "First Name"));
            o.Add(Picklist("Salutation", ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]));
            o.Add(NameCompound());
            o.Add(Text("Company", 255, required: true));
            o.Add(Text("Title", 128));
            o.Add(Email("Email", 80) with { IdLookup = true });
            o.Add(Phone("Phone"));
            o.Add(Phone("MobilePhone", label: "Mobile Phone"));
            o.Add(Phone("Fax"));
            o.Add(Url("Website"));
            o.Add(TextArea("Description", 32000));
            o.Add(TextArea("Street", 255));
            o.Add(Text("City", 40));
            o.Add(Text("State", 80, label: "State/Province"));
            o.Add(Text("PostalCode", 20, label: "Zip/Postal Code"));
            o.Add(Text("Country", 80));
            o.Add(Picklist("Industry", ["Agriculture", "Banking", "Education", "Technology", "Other"]));
            o.Add(Picklist("LeadSource", ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"], label: "Lead Source"));
            o.Add(Picklist("Status", ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"], "Open - Not Contacted") with { Nillable = false });
            o.Add(Picklist("Rating", ["Hot", "Warm", "Cold"]));
            o.Add(Bool("IsConverted", false, label: "Converted") with { Createable = false, Updateable = false });
            o.Add(new FieldDef { Name = "ConvertedDate", Label = "Converted Date", Type = "date", Createable = false, Updateable = false });
            o.Add(Reference("ConvertedContactId", "ConvertedContact", ["Contact"], label: "Converted Contact ID") with { Createable = false, Updateable = false });
            o.Add(Reference("ConvertedAccountId", "ConvertedAccount", ["Account"], label: "Converted Account ID") with { Createable = false, Updateable = false });
        });
        yield return Build("Campaign", "Campaign", "Campaigns", "701", o =>
        {
            o.Add(Text("Name", 80, required: true, label: "Campaign Name") with { NameField = true });
            o.Add(Picklist("Type", ["Conference", "Webinar", "Email", "Advertisement", "Other"]));
            o.Add(Picklist("Status", ["Planned", "In Progress", "Completed", "Aborted"]));
            o.Add(Bool("IsActive", false, label: "Active"));
            o.Add(new FieldDef { Name = "StartDate", Label = "Start Date", Type = "date" });
            o.Add(new FieldDef { Name = "EndDate", Label = "End Date", Type = "date" });
            o.Add(TextArea("Description", 32000));
            o.Add(Reference("ParentId", "Parent", ["Campaign"], label: "Parent Campaign ID"));
        });
        yield return Build("CampaignMember", "Campaign Member", "Campaign Members", "00v", o =>
        {
            o.Add(Reference("CampaignId", "Campaign", ["Campaign"], label: "Campaign ID") with { Nillable = false, Updateable = false });
            o.Add(Reference("LeadId", "Lead", ["Lead"], label: "Lead ID") with { Updateable = false });
            o.Add(Reference("ContactId", "Contact", ["Contact"], label: "Contact ID") with { Updateable = false });
            o.Add(Picklist("Status", ["Sent", "Responded"], "Sent"));
            o.Add(Bool("HasResponded", false, label: "Responded") with { Createable = false, Updateable = false, Calculated = true });
        });
        yield return Build("Opportunity", "Opportunity", "Opportunities", "006", o =>
        {
            o.Add(Text("Name", 120, required: true) with { NameField = true });
            o.Add(Picklist("StageName", ["Prospecting", "Qualification", "Closed Won", "Closed Lost"]) with { Nillable = false, Label = "Stage" });
            o.Add(new FieldDef { Name = "CloseDate", Label = "Close Date", Type = "date", Nillable = false });
            o.Add(new FieldDef { Name = "Amount", Type = "currency" });
            o.Add(Reference("AccountId", "Account", ["Account"], label: "Account ID"));
            o.Add(Reference("CampaignId", "Campaign", ["Campaign"], label: "Campaign ID"));
            o.Add(TextArea("Description", 32000));
        });
        yield return Build("Case", "Case", "Cases", "500", o =>
        {
            o.Add(new FieldDef { Name = "CaseNumber", Label = "Case Number", Type = "string", Length = 30, Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true, AutoNumber = true, NameField = true });
            o.Add(Text("Subject", 255));
            o.Add(TextArea("Description", 32000));
            o.Add(Picklist("Status", ["New", "Working", "Escalated", "Closed"], "New"));
            o.Add(Picklist("Priority", ["High", "Medium", "Low"], "Medium"));
            o.Add(Picklist("Origin", ["Phone", "Email", "Web"], label: "Case Origin"));
            o.Add(Picklist("Reason", ["Installation", "Equipment Complexity", "Performance", "Breakdown", "Other"], label: "Case Reason"));
            o.Add(Picklist("Type", ["Mechanical", "Electrical", "Electronic", "Structural", "Other"], label: "Case Type"));
            o.Add(Email("SuppliedEmail", 80, label: "Web Email"));
            o.Add(Text("SuppliedName", 80, label: "Web Name"));
            o.Add(Phone("SuppliedPhone", label: "Web Phone"));
            o.Add(Text("SuppliedCompany", 80, label: "Web Company"));
            o.Add(TextArea("Comments", 4000, "Internal Comments"));
            o.Add(Reference("ContactId", "Contact", ["Contact"], label: "Contact ID"));
            o.Add(Reference("AccountId", "Account", ["Account"], label: "Account ID"));
            o.Add(Bool("IsClosed", false, label: "Closed") with { Createable = false, Updateable = false, Calculated = true });
        });
        yield return Build("Task", "Task", "Tasks", "00T", o =>
        {
            o.Add(Combobox("Subject", ["Call", "Send Letter", "Send Quote", "Other"]));
            o.Add(TextArea("Description", 32000));
            o.Add(Picklist("Status", ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"], "Not Started") with { Nillable = false, Length = 40 });
            o.Add(Picklist("Priority", ["High", "Normal", "Low"], "Normal") with { Nillable = false, Length = 40 });
            o.Add(Reference("WhoId", "Who", ["Contact", "Lead"], label: "Name ID"));
            o.Add(Reference("WhatId", "What", AnyWhat, label: "Related To ID"));
            o.Add(new FieldDef { Name = "ActivityDate", Label = "Due Date Only", Type = "date" });
            o.Add(Picklist("Type", ["Call", "Email", "Meeting", "Other"]));
            o.Add(Picklist("TaskSubtype", ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"], "Task") with { Updateable = false, Label = "Task Subtype" });
            o.Add(Picklist("CallType", ["Internal", "Inbound", "Outbound"], label: "Call Type"));
            o.Add(new FieldDef { Name = "CallDurationInSeconds", Label = "Call Duration", Type = "int" });
            o.Add(Text("CallDisposition", 255, label: "Call Result"));
            o.Add(Bool("IsClosed", false, label: "Closed") with { Createable = false, Updateable = false, Calculated = true });
            o.Add(new FieldDef { Name = "CompletedDateTime", Label = "Completed Date/Time", Type = "datetime", Createable = false, Updateable = false });
            o.Add(Reference("AccountId", "Account", ["Account"], label: "Account ID") with { Createable = false, Updateable = false });
        });
        yield return Build("Event", "Event", "Events", "00U", o =>
        {
            o.Add(Combobox("Subject", ["Call", "Email", "Meeting", "Send Letter/Quote", "Other"]));
            o.Add(TextArea("Description", 32000));
            o.Add(Text("Location", 255));
            o.Add(new FieldDef { Name = "ActivityDateTime", Label = "Due Date Time", Type = "datetime" });
            o.Add(new FieldDef { Name = "StartDateTime", Label = "Start Date Time", Type = "datetime" });
            o.Add(new FieldDef { Name = "EndDateTime", Label = "End Date Time", Type = "datetime" });
            o.Add(new FieldDef { Name = "ActivityDate", Label = "Due Date Only", Type = "date" });
            o.Add(new FieldDef { Name = "DurationInMinutes", Label = "Duration", Type = "int" });
            o.Add(Bool("IsAllDayEvent", false, label: "All-Day Event"));
            o.Add(Reference("WhoId", "Who", ["Contact", "Lead"], label: "Name ID"));
            o.Add(Reference("WhatId", "What", AnyWhat, label: "Related To ID"));
            o.Add(Picklist("Type", ["Call", "Email", "Meeting", "Other"]));
            o.Add(Picklist("EventSubtype", ["Event"], "Event") with { Updateable = false, Label = "Event Subtype" });
        });
        yield return Build("RecordType", "Record Type", "Record Types", "012", o =>
        {
            o.Add(Text("Name", 80, required: true, label: "Record Type Name") with { NameField = true });
            o.Add(Text("DeveloperName", 80, required: true, label: "Record Type Name"));
            o.Add(Text("SobjectType", 40, required: true, label: "SObject Type Name"));
            o.Add(TextArea("Description", 255));
            o.Add(Bool("IsActive", true, label: "Active"));
        }, owner: false, createable: false);
        yield return Build("ContentDocument", "Content Document", "Content Documents", "069", o =>
        {
            o.Add(Text("Title", 255) with { Nillable = false, NameField = true });
            o.Add(Text("FileType", 20, label: "File Type") with { Updateable = false });
            o.Add(Text("FileExtension", 40, label: "File Extension") with { Updateable = false });
            o.Add(new FieldDef { Name = "ContentSize", Label = "Size", Type = "int", Updateable = false });
            o.Add(Reference("LatestPublishedVersionId", "LatestPublishedVersion", ["ContentVersion"], label: "Latest Published Version ID") with { Updateable = false });
            o.Add(TextArea("Description", 1000));
        }, createable: false);
        yield return Build("ContentVersion", "Content Version", "Content Versions", "068", o =>
        {
            o.Add(Text("Title", 255) with { Nillable = false, DefaultedOnCreate = true, NameField = true });
            o.Add(Text("PathOnClient", 500, required: true, label: "Path On Client") with { Updateable = false });
            o.Add(new FieldDef { Name = "VersionData", Label = "Version Data", Type = "base64", Length = 0, Updateable = false });
            o.Add(TextArea("Description", 1000));
            o.Add(TextArea("ReasonForChange", 1000, "Reason For Change"));
            o.Add(Reference("ContentDocumentId", "ContentDocument", ["ContentDocument"], label: "ContentDocument ID") with { Updateable = false });
            o.Add(Reference("FirstPublishLocationId", "FirstPublishLocation", ["*"], label: "First Publish Location ID") with { Updateable = false });
            o.Add(Picklist("ContentLocation", ["S", "E", "L"], "S") with { Updateable = false, Label = "Content Location" });
            o.Add(Text("FileType", 20, label: "File Type") with { Createable = false, Updateable = false });
            o.Add(Text("FileExtension", 40, label: "File Extension") with { Createable = false, Updateable = false });
            o.Add(new FieldDef { Name = "ContentSize", Label = "Size", Type = "int", Createable = false, Updateable = false });
            o.Add(Text("Checksum", 50) with { Createable = false, Updateable = false });
            o.Add(Text("VersionNumber", 20, label: "Version Number") with { Createable = false, Updateable = false });
            o.Add(Bool("IsLatest", true, label: "Is Latest") with { Createable = false, Updateable = false });
        });
        yield return Build("ContentDocumentLink", "Content Document Link", "Content Document Link", "06A", o =>
        {
            o.Add(Reference("ContentDocumentId", "ContentDocument", ["ContentDocument"], label: "ContentDocument ID") with { Nillable = false, Updateable = false });
            o.Add(Reference("LinkedEntityId", "LinkedEntity", ["*"], label: "Linked Entity ID") with { Nillable = false, Updateable = false });
            o.Add(Picklist("ShareType", ["V", "C", "I"], "V") with { Label = "Share Type", RestrictedPicklist = true });
            o.Add(Picklist("Visibility", ["AllUsers", "InternalUsers", "SharedUsers"], "AllUsers") with { RestrictedPicklist = true });
        }, owner: false);
    }

    public static ObjectDef Build(string name, string label, string plural, string prefix, Action<ObjectDef> fields, bool owner = true, bool createable = true, bool custom = false)
    {
        var o = new ObjectDef { Name = name, Label = label, LabelPlural = plural, KeyPrefix = prefix, Custom = custom, Createable = createable };
        o.Add(new FieldDef { Name = "Id", Label = $"{label} ID", Type = "id", Length = 18, Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true, IdLookup = true });
        if (custom)
        {
            o.Add(Text("Name", 80, label: $"{label} Name") with { NameField = true, DefaultedOnCreate = true, Nillable = false });
        }

        fields(o);
        if (owner)
        {
            o.Add(Reference("OwnerId", "Owner", ["User"], label: "Owner ID") with { Nillable = false, DefaultedOnCreate = true });
        }

        o.Add(Bool("IsDeleted", false, label: "Deleted") with { Createable = false, Updateable = false });
        o.Add(SystemDate("CreatedDate", "Created Date"));
        o.Add(Reference("CreatedById", "CreatedBy", ["User"], label: "Created By ID") with { Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true });
        o.Add(SystemDate("LastModifiedDate", "Last Modified Date"));
        o.Add(Reference("LastModifiedById", "LastModifiedBy", ["User"], label: "Last Modified By ID") with { Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true });
        o.Add(SystemDate("SystemModstamp", "System Modstamp"));
        return o;
    }

    private static FieldDef SystemDate(string name, string label) =>
        new() { Name = name, Label = label, Type = "datetime", Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true };

    private static FieldDef NameCompound() =>
        new() { Name = "Name", Label = "Full Name", Type = "string", Length = 121, Nillable = false, Createable = false, Updateable = false, Calculated = false, NameField = true };

    public static FieldDef Text(string name, int length, bool required = false, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "string", Length = length, Nillable = !required };

    private static FieldDef TextArea(string name, int length, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "textarea", Length = length };

    private static FieldDef Email(string name, int length, bool required = false, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "email", Length = length, Nillable = !required };

    private static FieldDef Phone(string name, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "phone", Length = 40 };

    private static FieldDef Url(string name) =>
        new() { Name = name, Label = name, Type = "url", Length = 255 };

    private static FieldDef Bool(string name, bool defaultValue, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "boolean", Nillable = false, DefaultedOnCreate = true, DefaultValue = JsonValue.Create(defaultValue) };

    private static FieldDef Picklist(string name, string[] values, string? defaultValue = null, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "picklist", Length = 255, PicklistValues = values, DefaultPicklistValue = defaultValue, DefaultedOnCreate = defaultValue is not null, Nillable = true };

    private static FieldDef Combobox(string name, string[] values) =>
        new() { Name = name, Label = name, Type = "combobox", Length = 255, PicklistValues = values };

    private static FieldDef Reference(string name, string relationship, string[] to, string? label = null) =>
        new() { Name = name, Label = label ?? name, Type = "reference", Length = 18, ReferenceTo = to, RelationshipName = relationship };
}

/// <summary>Describe's filterable and sortable, which SOQL also enforces (fixtures 69-72: long text areas are neither; Case.Comments, 4,000, is sortable).</summary>
internal static class FieldRules
{
    public static bool Filterable(FieldDef? f) => f is null || f.Type is not ("textarea" or "base64");

    public static bool Sortable(FieldDef? f) => f is null || !(f.Type == "base64" || (f.Type == "textarea" && f.Length > 4000));
}
