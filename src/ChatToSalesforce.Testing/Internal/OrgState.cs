using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatToSalesforce.Testing.Internal;

internal sealed class SaveOptions
{
    public required string UserId { get; init; }
    /// <summary>Seeding and <c>Insert</c>: explicit ids, read-only fields and no duplicate rules.</summary>
    public bool System { get; init; }
    public bool AllowDuplicateSave { get; init; }

    /// <summary>Apply the Lead/Case assignment rules (API saves whose Sforce-Auto-Assign is absent or TRUE).</summary>
    public bool AutoAssign { get; init; }
}

internal sealed record SaveOutcome(Record? Record, IReadOnlyList<ApiError> Errors, bool Created)
{
    public bool Success => Errors.Count == 0;
}

/// <summary>The org: schema, records, indexes and Salesforce's save rules. Not thread-safe: callers hold the emulator lock.</summary>
internal sealed partial class OrgState
{
    private static readonly Regex EmailPattern = EmailRegex();
    private readonly Dictionary<string, ObjectStore> _stores = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ObjectStore> _byPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Record> _byId = new(StringComparer.Ordinal);
    private readonly List<Action> _undo = [];
    private readonly TimeProvider _time;
    private long _sequence = 1000;
    private int _caseNumber = 1000;
    private int _customPrefix;
    private int _transactions;

    /// <summary>Creates an org with the standard objects.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="orgNumber">The org's number (1 for a lone emulator; 1, 2, ... in a cluster): its org id, and the block its record ids come from, so ids are unique across the orgs of a process as Salesforce's are.</param>
    public OrgState(TimeProvider time, int orgNumber = 1)
    {
        _time = time;
        foreach (var def in StandardSchema.Shared)
        {
            Register(def.CopyShared());
        }

        OrganizationId = SalesforceId.Create("00D", orgNumber);
        IdBase = (orgNumber - 1L) << 36;
    }

    /// <summary>Added to every generated record number: each org owns a block of 2^36 ids.</summary>
    public long IdBase { get; }

    public string OrganizationId { get; }

    public IEnumerable<ObjectStore> Stores => _stores.Values;

    public ObjectStore? Store(string name) => _stores.GetValueOrDefault(name);

    public ObjectDef? Object(string name) => _stores.GetValueOrDefault(name)?.Def;

    public Record? Get(string? id)
    {
        var normalized = SalesforceId.Normalize(id);
        return normalized is null ? null : _byId.GetValueOrDefault(normalized);
    }

    public string Now() => FormatDateTime(_time.GetUtcNow());

    /// <summary>The emulator's clock (SalesforceEmulatorOptions.TimeProvider): timestamps and SOQL date literals.</summary>
    public DateTimeOffset UtcNow => _time.GetUtcNow();

    /// <summary>The child relationships of <paramref name="parent"/> (Account.Contacts, Contact.Tasks, X__c.Ys__r).</summary>
    public IReadOnlyList<ChildRelationship> ChildRelationships(ObjectDef parent)
    {
        var result = new List<ChildRelationship>();
        foreach (var store in _stores.Values)
        {
            var child = store.Def;
            foreach (var field in child.Fields)
            {
                if (field.Type != "reference" || !field.ReferenceTo.Any(t => t == "*" || string.Equals(t, parent.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var name = ChildRelationshipName(child, field);
                if (name is not null && !result.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    result.Add(new ChildRelationship(name, child, field));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Salesforce's standard child relationship names; a custom lookup gets the default an admin is offered, the child
    /// object's plural label with underscores plus "__r" (Whizbang__c.ParentWhizbang__c → Whizbangs__r, fixture 20).
    /// </summary>
    private static string? ChildRelationshipName(ObjectDef child, FieldDef field) =>
        field.Custom
            ? child.LabelPlural.Replace(' ', '_') + "__r"
            : (child.Name, field.Name) switch
            {
                ("Contact", "AccountId") => "Contacts",
                ("Opportunity", "AccountId" or "CampaignId") => "Opportunities",
                ("Case", "AccountId" or "ContactId") => "Cases",
                ("Task", "WhoId" or "WhatId") => "Tasks",
                ("Event", "WhoId" or "WhatId") => "Events",
                ("CampaignMember", "CampaignId" or "ContactId" or "LeadId") => "CampaignMembers",
                ("Account", "ParentId") => "ChildAccounts",
                ("Campaign", "ParentId") => "ChildCampaigns",
                ("ContentDocumentLink", "ContentDocumentId" or "LinkedEntityId") => "ContentDocumentLinks",
                ("ContentVersion", "ContentDocumentId") => "ContentVersions",
                _ => null,
            };

    public static string FormatDateTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public ObjectDef DefineObject(string name, string? label, string? plural, IEnumerable<EmulatorField> fields)
    {
        if (!name.EndsWith("__c", StringComparison.Ordinal) || name.Length <= 3)
        {
            throw new ArgumentException($"Custom object names must end in '__c': '{name}'.", nameof(name));
        }

        if (_stores.ContainsKey(name))
        {
            throw new ArgumentException($"The object '{name}' already exists.", nameof(name));
        }

        var prefix = "a0" + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[_customPrefix++ % 62];
        var baseLabel = label ?? name[..^3].Replace('_', ' ');
        var def = StandardSchema.Build(name, baseLabel, plural ?? baseLabel + "s", prefix, _ => { }, custom: true);
        Register(def);
        foreach (var f in fields)
        {
            DefineField(name, f);
        }

        return def;
    }

    public FieldDef DefineField(string objectName, EmulatorField field)
    {
        var store = _stores.GetValueOrDefault(objectName) ?? throw new ArgumentException($"No such object '{objectName}'.", nameof(objectName));
        if (!field.Name.EndsWith("__c", StringComparison.Ordinal) || field.Name.Length <= 3)
        {
            throw new ArgumentException($"Custom field names must end in '__c': '{field.Name}'.", nameof(field));
        }

        foreach (var target in field.ReferenceTo)
        {
            if (!_stores.ContainsKey(target))
            {
                throw new ArgumentException($"Field '{field.Name}' references unknown object '{target}'.", nameof(field));
            }
        }

        if (field.Type == EmulatorFieldType.Reference && field.ReferenceTo.Count == 0)
        {
            throw new ArgumentException($"Reference field '{field.Name}' needs ReferenceTo.", nameof(field));
        }

        var type = field.Type switch
        {
            EmulatorFieldType.Text => "string",
            EmulatorFieldType.TextArea => "textarea",
            EmulatorFieldType.Email => "email",
            EmulatorFieldType.Phone => "phone",
            EmulatorFieldType.Url => "url",
            EmulatorFieldType.Number => "double",
            EmulatorFieldType.Integer => "int",
            EmulatorFieldType.Currency => "currency",
            EmulatorFieldType.Boolean => "boolean",
            EmulatorFieldType.Date => "date",
            EmulatorFieldType.DateTime => "datetime",
            EmulatorFieldType.Picklist => "picklist",
            EmulatorFieldType.Reference => "reference",
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        var length = field.Length ?? type switch
        {
            "string" or "picklist" or "url" => 255,
            "textarea" => 32000,
            "email" => 80,
            "phone" => 40,
            "reference" => 18,
            _ => 0,
        };
        JsonNode? defaultValue = field.DefaultValue is null ? null : JsonValue.Create(field.DefaultValue.ToString());
        if (field.DefaultValue is bool b)
        {
            defaultValue = JsonValue.Create(b);
        }
        else if (type == "boolean")
        {
            defaultValue = JsonValue.Create(false);
        }

        var def = new FieldDef
        {
            Name = field.Name,
            Label = field.Label ?? field.Name[..^3].Replace('_', ' '),
            Type = type,
            Length = length,
            Nillable = !field.Required && type != "boolean",
            Createable = field.Createable,
            Updateable = field.Updateable,
            DefaultedOnCreate = defaultValue is not null,
            DefaultValue = defaultValue,
            ExternalId = field.ExternalId,
            Unique = field.Unique,
            CaseSensitive = field.CaseSensitive,
            RestrictedPicklist = field.RestrictedPicklist,
            PicklistValues = field.PicklistValues,
            ReferenceTo = field.ReferenceTo,
            RelationshipName = type == "reference" ? field.Name[..^3] + "__r" : null,
            Custom = true,
        };
        store.Def.Add(def);
        store.EnsureIndex(def);
        if (PersonAccounts && store.Def.Name == "Contact")
        {
            AddPersonContactField(def);
        }

        return def;
    }

    public void AddDuplicateRule(string objectName, DuplicateRuleAction action, IReadOnlyList<string> fields)
    {
        var store = _stores.GetValueOrDefault(objectName) ?? throw new ArgumentException($"No such object '{objectName}'.", nameof(objectName));
        if (fields.Count == 0)
        {
            throw new ArgumentException("A duplicate rule needs at least one matching field.", nameof(fields));
        }

        var canonical = fields.Select(f => store.Def.Field(f)?.Name ?? throw new ArgumentException($"No such field '{f}' on {objectName}.", nameof(fields))).ToList();
        var n = store.DuplicateRules.Count + 1;
        store.DuplicateRules.Add(new DuplicateRule
        {
            Name = n == 1 ? $"Standard_{store.Def.Name}_Duplicate_Rule" : $"Standard_{store.Def.Name}_Duplicate_Rule_{n}",
            MatchRuleName = n == 1 ? $"Standard_{store.Def.Name}_Match_Rule_v1_1" : $"Standard_{store.Def.Name}_Match_Rule_v1_{n}",
            Fields = canonical,
            Action = action,
        });
    }

    // ---------- transactions ----------

    public void AddValidationRule(string objectName, EmulatorValidationRule rule)
    {
        var store = _stores.GetValueOrDefault(objectName) ?? throw new ArgumentException($"No such object '{objectName}'.", nameof(objectName));
        foreach (var name in rule.When.Keys.Append(rule.Field).Concat(rule.ErrorField is null ? [] : [rule.ErrorField]))
        {
            if (store.Def.Field(name) is null)
            {
                throw new ArgumentException($"Validation rule '{rule.Name}' names the field '{name}', which {objectName} does not have.", nameof(rule));
            }
        }

        Regex? pattern = null;
        if (rule.Pattern is not null)
        {
            try
            {
                pattern = new Regex("^(?:" + rule.Pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Validation rule '{rule.Name}' has an invalid pattern: {e.Message}", nameof(rule), e);
            }
        }

        store.ValidationRules.Add(new ValidationRule(rule, pattern));
    }

    /// <summary>Whether the org has Person Accounts (EnablePersonAccounts).</summary>
    public bool PersonAccounts { get; private set; }

    /// <summary>Account fields that mirror a field of the person's Contact (Account field → Contact field).</summary>
    private static readonly (string Account, string Contact)[] PersonFields =
    [
        ("FirstName", "FirstName"), ("LastName", "LastName"), ("Salutation", "Salutation"), ("PersonEmail", "Email"),
        ("PersonTitle", "Title"), ("PersonMobilePhone", "MobilePhone"), ("PersonLeadSource", "LeadSource"),
        ("PersonMailingStreet", "MailingStreet"), ("PersonMailingCity", "MailingCity"), ("PersonMailingState", "MailingState"),
        ("PersonMailingPostalCode", "MailingPostalCode"), ("PersonMailingCountry", "MailingCountry"),
    ];

    /// <summary>
    /// Turns on Person Accounts: Account gains IsPersonAccount, the person's name fields, PersonEmail, PersonContactId
    /// and the other Person* fields, plus X__pc for every custom Contact field X__c (now and later); Contact gains
    /// IsPersonAccount. Salesforce cannot turn the feature off again, nor can the emulator.
    /// </summary>
    public void EnablePersonAccounts()
    {
        if (PersonAccounts)
        {
            return;
        }

        PersonAccounts = true;
        var account = _stores["Account"];
        var contact = _stores["Contact"].Def;
        account.Def.Add(new FieldDef { Name = "IsPersonAccount", Label = "Is Person Account", Type = "boolean", Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true, DefaultValue = JsonValue.Create(false) });
        foreach (var (accountField, contactField) in PersonFields)
        {
            var source = contact.Field(contactField)!;
            account.Def.Add(source with { Name = accountField, Nillable = true, IdLookup = accountField == "PersonEmail", Label = accountField == contactField ? source.Label : "Person " + source.DisplayLabel });
        }

        account.Def.Add(new FieldDef { Name = "PersonContactId", Label = "Person Contact ID", Type = "reference", Length = 18, ReferenceTo = ["Contact"], RelationshipName = "PersonContact", Createable = false, Updateable = false });
        account.EnsureIndex(account.Def.Field("PersonEmail")!);
        _stores["Contact"].Def.Add(new FieldDef { Name = "IsPersonAccount", Label = "Is Person Account", Type = "boolean", Nillable = false, Createable = false, Updateable = false, DefaultedOnCreate = true, DefaultValue = JsonValue.Create(false) });
        foreach (var field in contact.Fields.Where(f => f.Custom).ToList())
        {
            AddPersonContactField(field);
        }
    }

    /// <summary>A custom Contact field X__c appears on person accounts as X__pc.</summary>
    private void AddPersonContactField(FieldDef contactField)
    {
        var account = _stores["Account"];
        account.Def.Add(contactField with { Name = contactField.Name[..^3] + "__pc", Nillable = true, Unique = false, ExternalId = false, RelationshipName = contactField.RelationshipName is null ? null : contactField.Name[..^3] + "__pr" });
    }

    /// <summary>
    /// Keeps a person account's Contact in step: created with the account (AccountId, IsPersonAccount), then every person
    /// field (FirstName, PersonEmail → Email, X__pc → X__c, ...) and the owner copied on each save.
    /// </summary>
    private void SyncPersonContact(Record account, SaveOptions options)
    {
        var fields = new JsonObject();
        foreach (var (accountField, contactField) in PersonFields)
        {
            fields[contactField] = account[accountField]?.DeepClone();
        }

        foreach (var field in account.Def.Fields.Where(f => f.Name.EndsWith("__pc", StringComparison.Ordinal)))
        {
            fields[field.Name[..^4] + "__c"] = account[field.Name]?.DeepClone();
        }

        fields["OwnerId"] = account["OwnerId"]?.DeepClone();
        var contactDef = _stores["Contact"].Def;
        var existing = Get(account.Text("PersonContactId"));
        if (existing is null)
        {
            fields["AccountId"] = account.Id;
            fields["IsPersonAccount"] = true;
        }

        var outcome = Save(contactDef, fields, existing, new SaveOptions { UserId = options.UserId, System = true });
        if (existing is null && outcome.Record is { } created)
        {
            SetSystem(account, "PersonContactId", JsonValue.Create(created.Id));
        }
    }

    public void MakeFieldReadOnly(string objectName, string fieldName)
    {
        var def = _stores.GetValueOrDefault(objectName)?.Def ?? throw new ArgumentException($"No such object '{objectName}'.", nameof(objectName));
        var field = def.Field(fieldName) ?? throw new ArgumentException($"{def.Name} has no field '{fieldName}'.", nameof(fieldName));
        if (field.Name is "Id" or "IsDeleted" or "CreatedDate" or "CreatedById" or "LastModifiedDate" or "LastModifiedById" or "SystemModstamp")
        {
            throw new ArgumentException($"'{field.Name}' is a system field, always read-only.", nameof(fieldName));
        }

        def.Add(field with { Createable = false, Updateable = false });
    }

    public string AddRecordType(string objectName, EmulatorRecordType recordType, string userId)
    {
        var store = _stores.GetValueOrDefault(objectName) ?? throw new ArgumentException($"No such object '{objectName}'.", nameof(objectName));
        if (store.Def.Name is "RecordType" or "User")
        {
            throw new ArgumentException($"'{store.Def.Name}' cannot have record types.", nameof(objectName));
        }

        if (store.RecordTypes.Any(r => string.Equals(r.Type.DeveloperName, recordType.DeveloperName, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"{store.Def.Name} already has a record type named '{recordType.DeveloperName}'.", nameof(recordType));
        }

        foreach (var name in recordType.PicklistValues.Keys)
        {
            if (store.Def.Field(name) is not { Type: "picklist" or "combobox" })
            {
                throw new ArgumentException($"Record type '{recordType.DeveloperName}' lists values for '{name}', which is not a picklist of {store.Def.Name}.", nameof(recordType));
            }
        }

        var outcome = Save(_stores["RecordType"].Def, new JsonObject
        {
            ["Name"] = recordType.Label ?? recordType.DeveloperName,
            ["DeveloperName"] = recordType.DeveloperName,
            ["SobjectType"] = store.Def.Name,
        }, null, new SaveOptions { UserId = userId, System = true });
        var id = outcome.Record?.Id ?? throw new ArgumentException(string.Join("; ", outcome.Errors.Select(e => e.Message)), nameof(recordType));
        if (store.Def.Field("RecordTypeId") is null)
        {
            store.Def.Add(new FieldDef { Name = "RecordTypeId", Label = "Record Type ID", Type = "reference", Length = 18, ReferenceTo = ["RecordType"], RelationshipName = "RecordType" });
        }

        if (recordType.IsDefault)
        {
            store.RecordTypes.Insert(0, (id, recordType));
        }
        else
        {
            store.RecordTypes.Add((id, recordType));
        }

        return id;
    }

    /// <summary>
    /// Record types: a record without RecordTypeId gets the default; an id that is not one of the object's record types
    /// answers Salesforce's INVALID_CROSS_REFERENCE_KEY "Record Type ID: this ID value isn't valid for the user"; a
    /// restricted picklist accepts only the values its record type makes available.
    /// </summary>
    private ApiError? CheckRecordType(ObjectDef def, Dictionary<string, JsonNode?> values, bool create, List<FieldDef> touched)
    {
        var types = _stores[def.Name].RecordTypes;
        if (types.Count == 0)
        {
            return null;
        }

        var given = Json.Str(values.GetValueOrDefault("RecordTypeId"));
        if (given is null && create)
        {
            values["RecordTypeId"] = types[0].Id;
            given = types[0].Id;
        }

        if (given is null)
        {
            return null;
        }

        var id = SalesforceId.Normalize(given);
        var match = types.FirstOrDefault(t => t.Id == id);
        if (match.Type is null)
        {
            return new ApiError("INVALID_CROSS_REFERENCE_KEY", $"Record Type ID: this ID value isn't valid for the user: {given}", ["RecordTypeId"]);
        }

        values["RecordTypeId"] = match.Id;
        foreach (var field in touched.Where(f => f.RestrictedPicklist && match.Type.PicklistValues.ContainsKey(f.Name)))
        {
            var text = Json.Str(values.GetValueOrDefault(field.Name));
            if (text is not null && !match.Type.PicklistValues.First(p => string.Equals(p.Key, field.Name, StringComparison.OrdinalIgnoreCase)).Value.Contains(text, StringComparer.Ordinal))
            {
                return new ApiError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{field.DisplayLabel}: bad value for restricted picklist field: {text}", [field.Name]);
            }
        }

        return null;
    }

    public void AddAssignmentRule(string objectName, EmulatorAssignmentRule rule)
    {
        var store = _stores.GetValueOrDefault(objectName) ?? throw new ArgumentException($"No such object '{objectName}'.", nameof(objectName));
        if (store.Def.Name is not ("Lead" or "Case"))
        {
            throw new ArgumentException($"Assignment rules exist for Lead and Case, not '{objectName}'.", nameof(objectName));
        }

        foreach (var name in rule.When.Keys.Where(k => store.Def.Field(k) is null))
        {
            throw new ArgumentException($"Assignment rule '{rule.Name}' names the field '{name}', which {store.Def.Name} does not have.", nameof(rule));
        }

        if (Get(rule.OwnerId) is not { Def.Name: "User" } owner)
        {
            throw new ArgumentException($"Assignment rule '{rule.Name}' assigns to '{rule.OwnerId}', which is not a user of the org.", nameof(rule));
        }

        store.AssignmentRules.Add(new EmulatorAssignmentRule { Name = rule.Name, OwnerId = owner.Id, When = rule.When });
    }

    /// <summary>The first assignment rule entry whose criteria hold sets the owner (Assignment Rule header, REST API Developer Guide).</summary>
    private void ApplyAssignmentRules(ObjectDef def, Dictionary<string, JsonNode?> values)
    {
        foreach (var entry in _stores[def.Name].AssignmentRules)
        {
            if (entry.When.All(w => string.IsNullOrWhiteSpace(w.Value)
                    ? string.IsNullOrWhiteSpace(Json.Str(values.GetValueOrDefault(w.Key)))
                    : string.Equals(Json.Str(values.GetValueOrDefault(w.Key)), w.Value, StringComparison.OrdinalIgnoreCase)))
            {
                values["OwnerId"] = entry.OwnerId;
                return;
            }
        }
    }

    /// <summary>
    /// Custom validation rules run after the system checks and before duplicate rules (Salesforce's order of execution);
    /// every failing rule is reported (fixture 43: two FIELD_CUSTOM_VALIDATION_EXCEPTION errors in one answer).
    /// </summary>
    private void CheckValidationRules(ObjectDef def, Dictionary<string, JsonNode?> values, List<ApiError> errors)
    {
        foreach (var (rule, pattern) in _stores[def.Name].ValidationRules)
        {
            if (!rule.Active || !rule.When.All(w => Matches(values.GetValueOrDefault(w.Key), w.Value)))
            {
                continue;
            }

            var text = Json.Str(values.GetValueOrDefault(rule.Field));
            var blank = string.IsNullOrWhiteSpace(text);
            var broken = (rule.Required && blank)
                || (!blank && pattern is not null && !pattern.IsMatch(text!))
                || (!blank && rule.MinLength is { } min && text!.Length < min)
                || (text is not null && rule.MaxLength is { } max && text.Length > max);
            if (broken)
            {
                errors.Add(new ApiError("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.Message, rule.ErrorField is null ? [] : [def.Field(rule.ErrorField)!.Name]));
            }
        }

        static bool Matches(JsonNode? value, string? expected)
        {
            var text = Json.Str(value);
            return expected is null ? string.IsNullOrWhiteSpace(text) : string.Equals(text, expected, StringComparison.OrdinalIgnoreCase);
        }
    }

    public int BeginTransaction()
    {
        _transactions++;
        return _undo.Count;
    }

    public void EndTransaction(int marker, bool commit)
    {
        if (!commit)
        {
            for (var i = _undo.Count - 1; i >= marker; i--)
            {
                _undo[i]();
            }

            _undo.RemoveRange(marker, _undo.Count - marker);
        }
        else if (_transactions == 1)
        {
            // The outermost transaction committed; a nested commit keeps its journal for the outer rollback.
            _undo.RemoveRange(marker, _undo.Count - marker);
        }

        _transactions--;
    }

    private void Journal(Action undo)
    {
        if (_transactions > 0)
        {
            _undo.Add(undo);
        }
    }

    // ---------- queries used by the REST layer ----------

    /// <summary>Live records of <paramref name="def"/> whose field equals the value (case-insensitive unless the field is case-sensitive).</summary>
    public List<Record> FindByField(ObjectDef def, FieldDef field, JsonNode? value)
    {
        var store = _stores[def.Name];
        if (field.Name == "Id")
        {
            var r = Get(Json.Str(value));
            return r is not null && r.Def == def && !r.IsDeleted ? [r] : [];
        }

        var hits = store.Lookup(field.Name, value);
        if (hits is not null)
        {
            return hits.OrderBy(r => r.Sequence).ToList();
        }

        var key = ObjectStore.Key(field, value);
        return store.All.Where(r => !r.IsDeleted && key is not null && ObjectStore.Key(field, r[field.Name]) == key).ToList();
    }

    // ---------- delete ----------

    public ApiError? Delete(Record record)
    {
        if (record.IsDeleted)
        {
            return new ApiError("ENTITY_IS_DELETED", "entity is deleted", []);
        }

        if (!record.Def.Deletable)
        {
            return new ApiError("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be deleted: {record.Def.Label}", []);
        }

        var store = _stores[record.Def.Name];
        var old = record.Values;
        store.Unindex(record);
        record.Values = new Dictionary<string, JsonNode?>(old, StringComparer.OrdinalIgnoreCase)
        {
            ["IsDeleted"] = true,
            ["SystemModstamp"] = Now(),
        };
        Journal(() =>
        {
            record.Values = old;
            store.Index(record);
        });

        if (record.Def.Name == "ContentDocument")
        {
            // As at Salesforce: deleting a file's document deletes its versions and links.
            foreach (var child in new[] { "ContentVersion", "ContentDocumentLink" }.SelectMany(n => _stores[n].All.Where(r => !r.IsDeleted && r.Text("ContentDocumentId") == record.Id).ToList()))
            {
                var childStore = _stores[child.Def.Name];
                var before = child.Values;
                childStore.Unindex(child);
                child.Values = new Dictionary<string, JsonNode?>(before, StringComparer.OrdinalIgnoreCase) { ["IsDeleted"] = true, ["SystemModstamp"] = Now() };
                Journal(() =>
                {
                    child.Values = before;
                    childStore.Index(child);
                });
            }
        }

        return null;
    }

    // ---------- save (create / update) ----------

    public SaveOutcome Save(ObjectDef def, JsonObject body, Record? existing, SaveOptions options)
    {
        var create = existing is null;
        if (!create && existing!.IsDeleted)
        {
            return Fail(new ApiError("ENTITY_IS_DELETED", "entity is deleted", []));
        }

        if (!options.System && create && !def.Createable)
        {
            return Fail(new ApiError("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be inserted: {def.Label}", []));
        }

        if (!options.System && !create && def.Name == "Lead" && Json.Bool(existing!["IsConverted"]))
        {
            return Fail(new ApiError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", []));
        }

        // Sized for the object's fields (defaults and system fields join the body's): the record keeps it, and growing it
        // field by field copied it five times.
        var values = create
            ? new Dictionary<string, JsonNode?>(def.Fields.Count, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, JsonNode?>(existing!.Values, StringComparer.OrdinalIgnoreCase);
        var touched = new List<FieldDef>(body.Count);
        var notWritable = new List<string>();
        string? explicitId = null;
        byte[]? blob = null;
        foreach (var (key, node) in body)
        {
            if (key == "attributes")
            {
                continue;
            }

            if (string.Equals(key, "Id", StringComparison.OrdinalIgnoreCase))
            {
                if (create && !options.System)
                {
                    return Fail(new ApiError("INVALID_FIELD", "The Id field should not be specified in the sobject data."));
                }

                if (create)
                {
                    explicitId = SalesforceId.Normalize(Json.Str(node));
                    if (explicitId is null || SalesforceId.Prefix(explicitId) != def.KeyPrefix || _byId.ContainsKey(explicitId))
                    {
                        return Fail(new ApiError("MALFORMED_ID", $"{def.Label} ID: id value of incorrect type: {Json.Str(node)}", ["Id"]));
                    }
                }

                continue;
            }

            var field = def.Field(key);
            var input = node;
            if (field is null && node is JsonObject related && def.Relationship(key) is { } reference)
            {
                // a relationship by external id: "Account": {"Ext_Id__c": "42"} sets AccountId to the matching record
                var (foreignId, foreignError) = ResolveForeignKey(reference, related);
                if (foreignError is not null)
                {
                    return Fail(foreignError);
                }

                field = reference;
                input = JsonValue.Create(foreignId);
            }

            if (field is null)
            {
                return Fail(new ApiError("INVALID_FIELD", $"No such column '{key}' on sobject of type {def.Name}"));
            }

            if (!options.System && (create ? !field.Createable : !field.Updateable))
            {
                notWritable.Add(field.Name);
                continue;
            }

            if (field.Type == "base64")
            {
                var text = Json.Str(input);
                try
                {
                    blob = text is null ? null : Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    return Fail(new ApiError("JSON_PARSER_ERROR", $"Cannot deserialize instance of base64 from VALUE_STRING value {Shorten(text)}"));
                }

                continue;
            }

            var (coerced, error) = Coerce(field, input);
            if (error is not null)
            {
                return Fail(error);
            }

            values[field.Name] = coerced;
            touched.Add(field);
        }

        if (notWritable.Count > 0)
        {
            var verb = create ? "create" : "update";
            return Fail(new ApiError("INVALID_FIELD_FOR_INSERT_UPDATE",
                $"Unable to {verb} fields: {string.Join(", ", notWritable)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                notWritable));
        }

        if (create)
        {
            ApplyDefaults(def, values, options);
        }

        Derive(def, values, create, blob);
        if (CheckRecordType(def, values, create, touched) is { } recordTypeError)
        {
            return Fail(recordTypeError);
        }

        var errors = new List<ApiError>();
        CheckRequired(def, values, create, touched, errors);
        if (errors.Count > 0)
        {
            return new SaveOutcome(null, errors, false);
        }

        foreach (var field in touched)
        {
            CheckValue(def, field, values, errors);
        }

        if (create)
        {
            foreach (var field in def.Fields)
            {
                // Cheapest tests first: this runs for every field of every record created.
                if (field.IsReference && field.Name != "Id" && values.GetValueOrDefault(field.Name) is not null && !Touched(touched, field))
                {
                    CheckValue(def, field, values, errors);
                }
            }
        }

        if (errors.Count > 0)
        {
            return new SaveOutcome(null, errors, false);
        }

        if (!options.System)
        {
            CheckValidationRules(def, values, errors);
            if (errors.Count > 0)
            {
                return new SaveOutcome(null, errors, false);
            }
        }

        CheckUniqueness(def, values, existing, errors);
        if (errors.Count == 0 && !options.System)
        {
            CheckDuplicateRules(def, values, existing, options, errors);
        }

        if (errors.Count > 0)
        {
            return new SaveOutcome(null, errors, false);
        }

        if (options.AutoAssign && !options.System)
        {
            ApplyAssignmentRules(def, values); // after validation and before commit: assignment rules follow the save in Salesforce's order of execution
        }

        var saved = Commit(def, values, existing, explicitId, blob, options);
        if (PersonAccounts && def.Name == "Account" && Json.Bool(saved["IsPersonAccount"]))
        {
            SyncPersonContact(saved, options);
        }

        return new SaveOutcome(saved, [], create);
    }

    private static SaveOutcome Fail(ApiError error) => new(null, [error], false);

    /// <summary>
    /// Resolves a relationship given by external id (REST API: "Relationship field by external ID"): the object names one
    /// external id or idLookup field of the target (with attributes.type for polymorphic lookups); no match answers
    /// INVALID_FIELD "Foreign key external ID: X not found for field F in entity T" (fixture 55).
    /// </summary>
    private (string? Id, ApiError? Error) ResolveForeignKey(FieldDef reference, JsonObject related)
    {
        var typeName = Json.Str(related["attributes"]?["type"]) ?? (reference.ReferenceTo.Count == 1 ? reference.ReferenceTo[0] : null);
        var target = typeName is null ? null : Object(typeName);
        var keys = related.Where(p => p.Key != "attributes").ToList();
        if (target is null || keys.Count != 1 || !reference.ReferenceTo.Any(t => t == "*" || string.Equals(t, target.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, new ApiError("INVALID_FIELD", $"A relationship by external id on {reference.RelationshipName} needs exactly one external id field{(reference.ReferenceTo.Count > 1 ? " and attributes.type" : string.Empty)}.", []));
        }

        var (keyName, keyValue) = keys[0];
        var keyField = target.Field(keyName);
        if (keyField is null || !(keyField.ExternalId || keyField.IdLookup))
        {
            return (null, new ApiError("INVALID_FIELD", $"Field {keyName} is not an External ID or indexed field for {target.Name}", []));
        }

        var matches = FindByField(target, keyField, keyValue);
        return matches.Count switch
        {
            1 => (matches[0].Id, null),
            0 => (null, new ApiError("INVALID_FIELD", $"Foreign key external ID: {Json.Str(keyValue)} not found for field {keyField.Name} in entity {target.Name}", [])),
            _ => (null, new ApiError("INVALID_FIELD", $"Foreign key external ID: {Json.Str(keyValue)} matched more than one record for field {keyField.Name} in entity {target.Name}", [])),
        };
    }

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 40 ? text[..40] : text;

    /// <summary>Whether the save set this field (by reference: a field definition's value equality compares every member).</summary>
    private static bool Touched(List<FieldDef> touched, FieldDef field)
    {
        foreach (var t in touched)
        {
            if (ReferenceEquals(t, field))
            {
                return true;
            }
        }

        return false;
    }

    private static (JsonNode? Value, ApiError? Error) Coerce(FieldDef field, JsonNode? node)
    {
        if (node is null)
        {
            return field.Type == "boolean" ? (JsonValue.Create(false), null) : (null, null);
        }

        if (node is not JsonValue value)
        {
            return (null, new ApiError("JSON_PARSER_ERROR", $"Cannot deserialize instance of {field.Type} from START_{(node is JsonArray ? "ARRAY" : "OBJECT")} value for field {field.Name}"));
        }

        string? text = value.TryGetValue<string>(out var s) ? s : null;
        switch (field.Type)
        {
            case "boolean":
                if (value.TryGetValue<bool>(out var b))
                {
                    return (JsonValue.Create(b), null);
                }

                if (text is not null && bool.TryParse(text, out b))
                {
                    return (JsonValue.Create(b), null);
                }

                return (null, Parser("boolean", value));
            case "double" or "currency" or "percent" or "int":
                decimal number;
                if (Json.TryNumber(value, out var d))
                {
                    number = d;
                }
                else if (text is not null && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
                {
                    number = d;
                }
                else if (text is not null && text.Length == 0)
                {
                    return (null, null);
                }
                else
                {
                    return (null, Parser(field.Type, value));
                }

                if (field.Type == "int")
                {
                    if (number != decimal.Truncate(number) || number > int.MaxValue || number < int.MinValue)
                    {
                        return (null, Parser("int", value));
                    }

                    return (JsonValue.Create((int)number), null);
                }

                return (JsonValue.Create((double)number), null);
            case "date":
                if (text is not null && TryParseDate(text, out var date))
                {
                    return (JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null);
                }

                return text is { Length: 0 } ? (null, null) : (null, Parser("date", value));
            case "datetime":
                if (text is not null && TryParseDateTime(text, out var dt))
                {
                    return (JsonValue.Create(FormatDateTime(dt)), null);
                }

                return text is { Length: 0 } ? (null, null) : (null, Parser("datetime", value));
            default:
                text ??= value.ToJsonString();
                if (text.Length == 0)
                {
                    return (null, null);
                }

                return (JsonValue.Create(text), null);
        }
    }

    private static ApiError Parser(string type, JsonValue value) =>
        new("JSON_PARSER_ERROR", $"Cannot deserialize instance of {type} from VALUE_STRING value {Shorten(value.ToJsonString().Trim('"'))} or request may be missing a required field");

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        || (text.Length > 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date));

    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        var normalized = text;
        if (normalized.Length > 5 && (normalized[^5] == '+' || normalized[^5] == '-') && normalized[^3] != ':')
        {
            normalized = string.Concat(normalized.AsSpan(0, normalized.Length - 2), ":", normalized.AsSpan(normalized.Length - 2));
        }

        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
            && normalized.Contains('T', StringComparison.Ordinal);
    }

    private void ApplyDefaults(ObjectDef def, Dictionary<string, JsonNode?> values, SaveOptions options)
    {
        foreach (var field in def.Fields)
        {
            if (values.TryGetValue(field.Name, out var present) && present is not null)
            {
                continue;
            }

            if (field.DefaultValue is not null)
            {
                values[field.Name] = field.DefaultValue.DeepClone();
            }
            else if (field.DefaultPicklistValue is not null)
            {
                values[field.Name] = field.DefaultPicklistValue;
            }
            else if (field.Name == "OwnerId")
            {
                values[field.Name] = options.UserId;
            }
        }
    }

    private void Derive(ObjectDef def, Dictionary<string, JsonNode?> values, bool create, byte[]? blob)
    {
        string? Get(string f) => Json.Str(values.GetValueOrDefault(f));
        switch (def.Name)
        {
            case "Contact" or "Lead" or "User":
                values["Name"] = string.Join(' ', new[] { Get("FirstName"), Get("LastName") }.Where(s => !string.IsNullOrEmpty(s)));
                break;
            case "Account" when PersonAccounts && (Json.Bool(values.GetValueOrDefault("IsPersonAccount")) || (create && Get("LastName") is not null)):
                // a Person Account: created by giving LastName (the emulator has no record types); Name is the person's name
                values["IsPersonAccount"] = true;
                values["Name"] = string.Join(' ', new[] { Get("FirstName"), Get("LastName") }.Where(s => !string.IsNullOrEmpty(s)));
                break;
            case "Task":
                values["IsClosed"] = Get("Status") == "Completed";
                if (Get("Status") == "Completed" && Get("CompletedDateTime") is null)
                {
                    values["CompletedDateTime"] = Now();
                }

                var what = this.Get(Get("WhatId"));
                var who = this.Get(Get("WhoId"));
                values["AccountId"] = what?.Def.Name == "Account" ? what.Id : who?.Def.Name == "Contact" ? who["AccountId"]?.DeepClone() : null;
                break;
            case "Case":
                values["IsClosed"] = Get("Status") == "Closed";
                if (create)
                {
                    values["CaseNumber"] = (++_caseNumber).ToString("D8", CultureInfo.InvariantCulture);
                }

                break;
            case "Event":
                if (Get("StartDateTime") is null && Get("ActivityDateTime") is not null)
                {
                    values["StartDateTime"] = Get("ActivityDateTime");
                }

                if (Get("ActivityDateTime") is null && Get("StartDateTime") is not null)
                {
                    values["ActivityDateTime"] = Get("StartDateTime");
                }

                if (Get("StartDateTime") is { } start && TryParseDateTime(start, out var s))
                {
                    values["ActivityDate"] = s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    if (Get("EndDateTime") is null && Json.TryNumber(values.GetValueOrDefault("DurationInMinutes"), out var minutes))
                    {
                        values["EndDateTime"] = FormatDateTime(s.AddMinutes((double)minutes));
                    }
                    else if (Get("EndDateTime") is { } end && TryParseDateTime(end, out var e) && values.GetValueOrDefault("DurationInMinutes") is null)
                    {
                        values["DurationInMinutes"] = (int)(e - s).TotalMinutes;
                    }
                }

                break;
            case "ContentVersion":
                var path = Get("PathOnClient");
                if (Get("Title") is null && path is not null)
                {
                    values["Title"] = Path.GetFileNameWithoutExtension(path);
                }

                if (create)
                {
                    var extension = path is null ? string.Empty : Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
                    values["FileExtension"] = extension.Length == 0 ? null : extension;
                    values["FileType"] = extension switch
                    {
                        "" => "UNKNOWN",
                        "txt" => "TEXT",
                        "htm" or "html" => "HTML",
                        "jpg" or "jpeg" => "JPG",
                        "doc" or "docx" => "WORD_X",
                        "xls" or "xlsx" => "EXCEL_X",
                        _ => extension.ToUpperInvariant(),
                    };
                    var bytes = blob ?? [];
                    values["ContentSize"] = bytes.Length;
#pragma warning disable CA5351 // Salesforce's ContentVersion.Checksum is an MD5 hash; this is not a security use.
                    values["Checksum"] = Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant();
#pragma warning restore CA5351
                    values["IsLatest"] = true;
                }

                break;
        }
    }

    private void CheckRequired(ObjectDef def, Dictionary<string, JsonNode?> values, bool create, List<FieldDef> touched, List<ApiError> errors)
    {
        var missing = new List<string>();
        foreach (var field in def.Fields)
        {
            var required = create ? field.RequiredOnCreate : !field.Nillable && field.Type != "boolean" && touched.Contains(field);
            if (required && values.GetValueOrDefault(field.Name) is null)
            {
                missing.Add(field.Name);
            }
        }

        string? Get(string f) => Json.Str(values.GetValueOrDefault(f));
        if (def.Name == "Event")
        {
            var allDay = Json.Bool(values.GetValueOrDefault("IsAllDayEvent"));
            if (Get("StartDateTime") is null && !(allDay && Get("ActivityDate") is not null))
            {
                missing.Add("ActivityDateTime");
            }

            if (!allDay && Get("EndDateTime") is null && Get("DurationInMinutes") is null)
            {
                missing.Add("DurationInMinutes");
            }
        }
        else if (def.Name == "CampaignMember" && create && Get("LeadId") is null && Get("ContactId") is null)
        {
            missing.Add("ContactId");
        }
        else if (def.Name == "ContentVersion" && create && !values.ContainsKey("ContentSize"))
        {
            missing.Add("VersionData");
        }

        if (missing.Count > 0)
        {
            errors.Add(new ApiError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing));
        }
    }

    private void CheckValue(ObjectDef def, FieldDef field, Dictionary<string, JsonNode?> values, List<ApiError> errors)
    {
        var value = values.GetValueOrDefault(field.Name);
        if (value is null)
        {
            return;
        }

        var text = Json.Str(value) ?? string.Empty;
        if (field.IsText && field.Length > 0 && text.Length > field.Length)
        {
            errors.Add(new ApiError("STRING_TOO_LONG", $"{field.DisplayLabel}: data value too large: {Shorten(text)} (max length={field.Length})", [field.Name]));
            return;
        }

        if (field.Type == "email" && !EmailPattern.IsMatch(text))
        {
            errors.Add(new ApiError("INVALID_EMAIL_ADDRESS", $"{field.DisplayLabel}: invalid email address: {text}", [field.Name]));
            return;
        }

        if (field.Type == "picklist" && field.RestrictedPicklist && !field.PicklistValues.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(new ApiError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{field.DisplayLabel}: bad value for restricted picklist field: {text}", [field.Name]));
            return;
        }

        if (field.Type != "reference")
        {
            return;
        }

        var id = SalesforceId.Normalize(text);
        if (id is null)
        {
            errors.Add(new ApiError("MALFORMED_ID", $"{field.DisplayLabel}: id value of incorrect type: {text}", [field.Name]));
            return;
        }

        var target = _byId.GetValueOrDefault(id);
        var prefixOk = field.ReferenceTo.Contains("*") || field.ReferenceTo.Any(t => _stores.TryGetValue(t, out var s) && s.Def.KeyPrefix == SalesforceId.Prefix(id));
        if (!prefixOk)
        {
            errors.Add(new ApiError("FIELD_INTEGRITY_EXCEPTION", $"{field.DisplayLabel}: id value of incorrect type: {text}", [field.Name]));
            return;
        }

        if (target is null || target.IsDeleted)
        {
            errors.Add(new ApiError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [field.Name]));
            return;
        }

        if (field.Name == "OwnerId" && target.Def.Name == "User" && !Json.Bool(target["IsActive"]))
        {
            errors.Add(new ApiError("INACTIVE_OWNER_OR_USER", $"operation performed with inactive user [{target.Id}] as owner of {def.Label.ToLowerInvariant()}", [field.Name]));
            return;
        }

        values[field.Name] = id;
    }

    private void CheckUniqueness(ObjectDef def, Dictionary<string, JsonNode?> values, Record? existing, List<ApiError> errors)
    {
        foreach (var field in def.Fields.Where(f => f.Unique && f.Name != "Id"))
        {
            var value = values.GetValueOrDefault(field.Name);
            if (value is null)
            {
                continue;
            }

            var clash = FindByField(def, field, value).FirstOrDefault(r => r != existing);
            if (clash is not null)
            {
                errors.Add(new ApiError("DUPLICATE_VALUE", $"duplicate value found: {field.Name} duplicates value on record with id: {clash.Id}", [field.Name]));
            }
        }

        string? Get(string f) => Json.Str(values.GetValueOrDefault(f));
        if (def.Name == "CampaignMember" && existing is null)
        {
            var store = _stores[def.Name];
            var person = Get("ContactId") ?? Get("LeadId");
            if (store.All.Any(r => !r.IsDeleted && r.Text("CampaignId") == Get("CampaignId") && (r.Text("ContactId") ?? r.Text("LeadId")) == person))
            {
                errors.Add(new ApiError("DUPLICATE_VALUE", "Already a campaign member.", []));
            }
        }
        else if (def.Name == "ContentDocumentLink" && existing is null)
        {
            var store = _stores[def.Name];
            var clash = store.All.FirstOrDefault(r => !r.IsDeleted && r.Text("ContentDocumentId") == Get("ContentDocumentId") && r.Text("LinkedEntityId") == Get("LinkedEntityId"));
            if (clash is not null)
            {
                errors.Add(new ApiError("DUPLICATE_VALUE", $"duplicate value found: <unknown> duplicates value on record with id: {clash.Id}", []));
            }
        }
    }

    private void CheckDuplicateRules(ObjectDef def, Dictionary<string, JsonNode?> values, Record? existing, SaveOptions options, List<ApiError> errors)
    {
        var store = _stores[def.Name];
        foreach (var rule in store.DuplicateRules)
        {
            if (rule.Action == DuplicateRuleAction.Alert && options.AllowDuplicateSave)
            {
                continue;
            }

            if (rule.Fields.Any(f => string.IsNullOrWhiteSpace(Json.Str(values.GetValueOrDefault(f)))))
            {
                continue;
            }

            var first = def.Field(rule.Fields[0])!;
            var matches = FindByField(def, first, JsonValue.Create(Json.Str(values[first.Name])!.Trim()))
                .Where(r => r != existing && rule.Fields.All(f => string.Equals(r.Text(f)?.Trim(), Json.Str(values[f])!.Trim(), StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (matches.Count == 0)
            {
                continue;
            }

            var allowSave = rule.Action == DuplicateRuleAction.Alert;
            var message = allowSave ? "Use one of these records?" : "You're creating a duplicate record. We recommend you use an existing record instead.";
            var matchRecords = new JsonArray();
            foreach (var m in matches)
            {
                matchRecords.Add(new JsonObject
                {
                    ["additionalInformation"] = new JsonArray(),
                    ["fieldDiffs"] = new JsonArray(),
                    ["matchConfidence"] = 100.0,
                    ["record"] = new JsonObject
                    {
                        ["attributes"] = new JsonObject { ["type"] = def.Name, ["url"] = $"/services/data/v{RestVersion.Default}/sobjects/{def.Name}/{m.Id}" },
                        ["Id"] = m.Id,
                    },
                });
            }

            var result = new JsonObject
            {
                ["allowSave"] = allowSave,
                ["duplicateRule"] = rule.Name,
                ["duplicateRuleEntityType"] = def.Name,
                ["errorMessage"] = message,
                ["matchResults"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["entityType"] = def.Name,
                        ["errors"] = new JsonArray(),
                        ["matchEngine"] = "FuzzyMatchEngine",
                        ["matchRecords"] = matchRecords,
                        ["rule"] = rule.MatchRuleName,
                        ["size"] = matches.Count,
                        ["success"] = true,
                    },
                },
            };
            errors.Add(new ApiError("DUPLICATES_DETECTED", message, [], result));
            return;
        }
    }

    private Record Commit(ObjectDef def, Dictionary<string, JsonNode?> values, Record? existing, string? explicitId, byte[]? blob, SaveOptions options)
    {
        var store = _stores[def.Name];
        var now = Now();
        values["LastModifiedDate"] = now;
        values["SystemModstamp"] = now;
        values["LastModifiedById"] = options.UserId;
        if (existing is not null)
        {
            var old = existing.Values;
            store.Unindex(existing);
            existing.Values = values;
            store.Index(existing);
            Journal(() =>
            {
                store.Unindex(existing);
                existing.Values = old;
                store.Index(existing);
            });
            return existing;
        }

        var id = explicitId ?? SalesforceId.Create(def.KeyPrefix, IdBase + ++_sequence);
        while (explicitId is null && _byId.ContainsKey(id))
        {
            id = SalesforceId.Create(def.KeyPrefix, IdBase + ++_sequence); // a seed's explicit id took this number
        }

        values["Id"] = id;
        values["IsDeleted"] = false;
        if (values.GetValueOrDefault("CreatedDate") is null || !options.System)
        {
            values["CreatedDate"] = now;
        }

        if (values.GetValueOrDefault("CreatedById") is null || !options.System)
        {
            // Seeding may set who created a record (Salesforce's "Set Audit Fields upon Record Creation"); the API may not.
            values["CreatedById"] = options.UserId;
        }
        if (def.Custom && values.GetValueOrDefault("Name") is null)
        {
            values["Name"] = id; // Salesforce names an unnamed custom-object record after its id
        }

        var record = new Record(def, id, ++_sequence, values) { Blob = blob };
        store.All.Add(record);
        _byId[id] = record;
        store.Index(record);
        Journal(() =>
        {
            store.Unindex(record);
            store.All.Remove(record);
            _byId.Remove(id);
        });
        AfterInsert(record, options);
        return record;
    }

    private void AfterInsert(Record record, SaveOptions options)
    {
        if (record.Def.Name != "ContentVersion")
        {
            return;
        }

        var documents = _stores["ContentDocument"].Def;
        var documentId = record.Text("ContentDocumentId");
        var title = record.Text("Title");
        if (documentId is not null && Get(documentId) is { } doc)
        {
            foreach (var v in _stores["ContentVersion"].All.Where(v => v != record && v.Text("ContentDocumentId") == doc.Id))
            {
                var old = v.Values;
                v.Values = new Dictionary<string, JsonNode?>(old, StringComparer.OrdinalIgnoreCase) { ["IsLatest"] = false };
                Journal(() => v.Values = old);
            }

            var count = _stores["ContentVersion"].All.Count(v => v.Text("ContentDocumentId") == doc.Id);
            SetSystem(record, "VersionNumber", count.ToString(CultureInfo.InvariantCulture));
            SetSystem(doc, "LatestPublishedVersionId", record.Id);
            SetSystem(doc, "Title", title);
            return;
        }

        var created = Save(documents, new JsonObject
        {
            ["Title"] = title,
            ["FileType"] = record.Text("FileType"),
            ["FileExtension"] = record.Text("FileExtension"),
            ["ContentSize"] = record["ContentSize"]?.DeepClone(),
            ["LatestPublishedVersionId"] = record.Id,
            ["OwnerId"] = record.Text("OwnerId"),
        }, null, new SaveOptions { UserId = options.UserId, System = true });
        SetSystem(record, "ContentDocumentId", created.Record!.Id);
        SetSystem(record, "VersionNumber", "1");
        if (record.Text("FirstPublishLocationId") is { } location)
        {
            Save(_stores["ContentDocumentLink"].Def, new JsonObject
            {
                ["ContentDocumentId"] = created.Record.Id,
                ["LinkedEntityId"] = location,
                ["ShareType"] = "V",
                ["Visibility"] = "AllUsers",
            }, null, new SaveOptions { UserId = options.UserId, System = true });
        }
    }

    private void SetSystem(Record record, string field, JsonNode? value)
    {
        var store = _stores[record.Def.Name];
        var old = record.Values;
        store.Unindex(record);
        record.Values = new Dictionary<string, JsonNode?>(old, StringComparer.OrdinalIgnoreCase) { [field] = value };
        store.Index(record);
        Journal(() =>
        {
            store.Unindex(record);
            record.Values = old;
            store.Index(record);
        });
    }

    // ---------- output ----------

    public static JsonObject Attributes(ObjectDef def, string id, string version) => new()
    {
        ["type"] = def.Name,
        ["url"] = $"/services/data/v{version}/sobjects/{def.Name}/{id}",
    };

    public static JsonObject ToJson(Record record, string version, IEnumerable<FieldDef>? fields = null)
    {
        var o = new JsonObject { ["attributes"] = Attributes(record.Def, record.Id, version) };
        foreach (var f in fields ?? record.Def.Fields)
        {
            o[f.Name] = f.Type == "base64"
                ? (record.Blob is null ? null : $"/services/data/v{version}/sobjects/{record.Def.Name}/{record.Id}/{f.Name}")
                : record[f.Name]?.DeepClone();
        }

        return o;
    }

    private void Register(ObjectDef def)
    {
        var store = new ObjectStore(def);
        _stores[def.Name] = store;
        _byPrefix[def.KeyPrefix] = store;
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();
}

internal static class RestVersion
{
    public const string Default = "62.0";
}
