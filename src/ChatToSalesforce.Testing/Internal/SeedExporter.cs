using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>
/// Writes the org as a seed file that <see cref="SeedLoader"/> reads back: settings, custom objects and fields, duplicate rules
/// and every live record with its id (references keep pointing at the same records). Registered clients are not written
/// (their secrets stay out of files). Callers hold the emulator lock.
/// </summary>
internal static class SeedExporter
{
    /// <summary>Fields the org sets itself on every save; a seed does not carry them.</summary>
    private static readonly HashSet<string> SystemFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "IsDeleted", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
    };

    /// <summary>Read-only fields that hold state the org does not derive again on insert (a converted Lead, a Task's completion time).</summary>
    private static readonly HashSet<string> KeptReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "CreatedDate", "IsConverted", "ConvertedDate", "ConvertedContactId", "ConvertedAccountId", "CompletedDateTime",
    };

    public static JsonObject Export(OrgState org, long dailyApiLimit, int queryBatchSize, string integrationUserId, DateTimeOffset now)
    {
        var root = new JsonObject
        {
            ["description"] = string.Create(CultureInfo.InvariantCulture, $"Exported from the Salesforce org emulator at {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}."),
            ["settings"] = new JsonObject { ["dailyApiLimit"] = dailyApiLimit, ["queryBatchSize"] = queryBatchSize },
        };

        var stores = org.Stores.ToList();
        var objects = new JsonArray();
        foreach (var store in stores.Where(s => s.Def.Custom))
        {
            objects.Add(new JsonObject { ["name"] = store.Def.Name, ["label"] = store.Def.Label });
        }

        // Custom fields go after every custom object exists, so a lookup to an object declared later still loads.
        var fields = new JsonObject();
        foreach (var store in stores)
        {
            var custom = new JsonArray();
            foreach (var field in store.Def.Fields.Where(f => f.Custom))
            {
                custom.Add(Field(field));
            }

            if (custom.Count > 0)
            {
                fields[store.Def.Name] = custom;
            }
        }

        var rules = new JsonArray();
        foreach (var store in stores)
        {
            foreach (var rule in store.DuplicateRules)
            {
                rules.Add(new JsonObject
                {
                    ["object"] = store.Def.Name,
                    ["action"] = rule.Action == DuplicateRuleAction.Alert ? "alert" : "block",
                    ["fields"] = Json.Array(rule.Fields),
                });
            }
        }

        if (objects.Count > 0)
        {
            root["objects"] = objects;
        }

        if (fields.Count > 0)
        {
            root["fields"] = fields;
        }

        if (rules.Count > 0)
        {
            root["duplicateRules"] = rules;
        }

        root["records"] = Records(stores, integrationUserId);

        // Inactive users are written active (records they own load only under an active owner) and deactivated afterwards.
        var inactive = new JsonArray();
        foreach (var user in stores.First(s => s.Def.Name == "User").All.Where(u => !u.IsDeleted && u.Id != integrationUserId && !Json.Bool(u["IsActive"], true)))
        {
            inactive.Add(new JsonObject { ["Id"] = user.Id, ["IsActive"] = false });
        }

        if (inactive.Count > 0)
        {
            root["updates"] = new JsonObject { ["User"] = inactive };
        }

        return root;
    }

    private static JsonObject Field(FieldDef field)
    {
        var o = new JsonObject
        {
            ["name"] = field.Name,
            ["label"] = field.Label,
            ["type"] = field.Type switch
            {
                "string" => "text",
                "double" => "number",
                "int" => "integer",
                var other => other,
            },
        };
        if (field.Type is "string" or "textarea" or "email" or "phone" or "url" or "picklist")
        {
            o["length"] = field.Length;
        }

        if (!field.Nillable && field.Type != "boolean")
        {
            o["required"] = true;
        }

        if (field.Unique)
        {
            o["unique"] = true;
        }

        if (field.ExternalId)
        {
            o["externalId"] = true;
        }

        if (field.CaseSensitive)
        {
            o["caseSensitive"] = true;
        }

        if (field.PicklistValues.Count > 0)
        {
            o["values"] = Json.Array(field.PicklistValues);
        }

        if (field.RestrictedPicklist)
        {
            o["restricted"] = true;
        }

        if (field.DefaultValue is JsonValue value && !(field.Type == "boolean" && !Json.Bool(value)))
        {
            o["defaultValue"] = value.DeepClone();
        }

        if (field.ReferenceTo.Count > 0)
        {
            o["referenceTo"] = Json.Array(field.ReferenceTo);
        }

        if (!field.Createable)
        {
            o["createable"] = false;
        }

        if (!field.Updateable)
        {
            o["updateable"] = false;
        }

        return o;
    }

    /// <summary>The fields of a record a seed carries: what can be written on create (and the creation date), never a value the org derives.</summary>
    private static IEnumerable<FieldDef> Writable(ObjectDef def) =>
        def.Fields.Where(f => !SystemFields.Contains(f.Name) && (f.Createable || KeptReadOnly.Contains(f.Name)) && f.Type != "base64"
            && !(def.Name == "ContentDocument" && f.Name == "LatestPublishedVersionId"));

    private static JsonObject Records(List<ObjectStore> stores, string integrationUserId)
    {
        // Objects in dependency order (a record's lookups are loaded before it); a cycle between objects is broken where it closes.
        var ordered = new List<ObjectStore>();
        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var byName = stores.ToDictionary(s => s.Def.Name, StringComparer.OrdinalIgnoreCase);
        void Visit(ObjectStore store)
        {
            if (state.GetValueOrDefault(store.Def.Name) != 0)
            {
                return;
            }

            state[store.Def.Name] = 1;
            foreach (var target in Writable(store.Def).Where(f => f.IsReference).SelectMany(f => f.ReferenceTo))
            {
                if (byName.TryGetValue(target, out var dependency) && dependency != store)
                {
                    Visit(dependency);
                }
            }

            state[store.Def.Name] = 2;
            ordered.Add(store);
        }

        foreach (var store in stores)
        {
            Visit(store);
        }

        var written = new HashSet<string>(StringComparer.Ordinal) { integrationUserId };
        var records = new JsonObject();
        foreach (var store in ordered)
        {
            var list = new JsonArray();
            var live = store.All.Where(r => !r.IsDeleted && r.Id != integrationUserId).ToList();
            var pending = live.ToDictionary(r => r.Id, StringComparer.Ordinal);
            void Write(Record record)
            {
                if (!pending.Remove(record.Id))
                {
                    return;
                }

                // Self-lookups (a parent account) first.
                foreach (var field in Writable(record.Def).Where(f => f.IsReference))
                {
                    if (SalesforceId.Normalize(record.Text(field.Name)) is { } target && pending.TryGetValue(target, out var parent))
                    {
                        Write(parent);
                    }
                }

                list.Add(RecordJson(record, written));
                written.Add(record.Id);
            }

            foreach (var record in live)
            {
                Write(record);
            }

            if (list.Count > 0)
            {
                records[store.Def.Name] = list;
            }
        }

        return records;
    }

    private static JsonObject RecordJson(Record record, HashSet<string> written)
    {
        var o = new JsonObject { ["Id"] = record.Id };
        foreach (var field in Writable(record.Def))
        {
            var value = record[field.Name];
            if (value is null)
            {
                continue;
            }

            if (field.IsReference)
            {
                var target = SalesforceId.Normalize(Json.Str(value));
                if (target is null || !written.Contains(target))
                {
                    // A lookup to a record the file cannot hold before this one (a cycle, or a deleted record) is left out.
                    continue;
                }
            }

            o[field.Name] = value.DeepClone();
        }

        if (record.Def.Name == "User")
        {
            o["IsActive"] = true;
        }

        if (record.Def.Name == "ContentVersion")
        {
            o["VersionData"] = Convert.ToBase64String(record.Blob ?? []);
        }

        return o;
    }
}
