using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>Loads a seed file: settings, objects, fields, duplicate rules, clients and records.</summary>
internal static class SeedLoader
{
    public static void Load(SalesforceEmulator emulator, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulatorSeedException(path, null, $"cannot read the file: {e.Message}", e);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new EmulatorSeedException(path, 1, "the seed must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new EmulatorSeedException(path, (e.LineNumber ?? 0) + 1, $"invalid JSON at column {(e.BytePositionInLine ?? 0) + 1}: {e.Message}", e);
        }

        var location = "$";
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, value) in root)
            {
                location = $"$.{key}";
                switch (key)
                {
                    case "$schema" or "description":
                        break;
                    case "settings":
                        Settings(emulator, Obj(value));
                        break;
                    case "objects":
                        foreach (var (item, i) in Arr(value).Select((n, i) => (n, i)))
                        {
                            location = $"$.objects[{i}]";
                            var o = Obj(item);
                            var name = Str(o, "name") ?? throw new FormatException("'name' is required");
                            var fields = o["fields"] is null ? [] : Arr(o["fields"]).Select(f => Field(Obj(f))).ToList();
                            emulator.DefineObject(name, Str(o, "label"), fields);
                        }

                        break;
                    case "fields":
                        foreach (var (objectName, list) in Obj(value))
                        {
                            foreach (var (item, i) in Arr(list).Select((n, i) => (n, i)))
                            {
                                location = $"$.fields.{objectName}[{i}]";
                                emulator.DefineField(objectName, Field(Obj(item)));
                            }
                        }

                        break;
                    case "duplicateRules":
                        foreach (var (item, i) in Arr(value).Select((n, i) => (n, i)))
                        {
                            location = $"$.duplicateRules[{i}]";
                            var o = Obj(item);
                            var action = Str(o, "action") ?? "block";
                            emulator.AddDuplicateRule(
                                Str(o, "object") ?? throw new FormatException("'object' is required"),
                                action.Equals("alert", StringComparison.OrdinalIgnoreCase) ? DuplicateRuleAction.Alert
                                    : action.Equals("block", StringComparison.OrdinalIgnoreCase) ? DuplicateRuleAction.Block
                                    : throw new FormatException($"'action' must be 'block' or 'alert', not '{action}'"),
                                Arr(o["fields"]).Select(f => Json.Str(f) ?? string.Empty).ToArray());
                        }

                        break;
                    case "validationRules":
                        foreach (var (item, i) in Arr(value).Select((n, i) => (n, i)))
                        {
                            location = $"$.validationRules[{i}]";
                            var o = Obj(item);
                            emulator.AddValidationRule(Str(o, "object") ?? throw new FormatException("'object' is required"), new EmulatorValidationRule
                            {
                                Name = Str(o, "name") ?? throw new FormatException("'name' is required"),
                                Message = Str(o, "message") ?? throw new FormatException("'message' is required"),
                                Field = Str(o, "field") ?? throw new FormatException("'field' is required"),
                                ErrorField = Str(o, "errorField"),
                                Required = Bool(o, "required"),
                                Pattern = Str(o, "pattern"),
                                MinLength = o["minLength"]?.GetValue<int>(),
                                MaxLength = o["maxLength"]?.GetValue<int>(),
                                When = o["when"] is null ? new Dictionary<string, string?>() : Obj(o["when"]).ToDictionary(w => w.Key, w => w.Value is null ? null : Json.Str(w.Value)),
                                Active = !o.ContainsKey("active") || Bool(o, "active"),
                            });
                        }

                        break;
                    case "assignmentRules":
                        foreach (var (item, i) in Arr(value).Select((n, i) => (n, i)))
                        {
                            location = $"$.assignmentRules[{i}]";
                            var o = Obj(item);
                            var owner = Str(o, "owner") ?? throw new FormatException("'owner' is required (a user id, or \"@key\" of a user seeded earlier)");
                            emulator.AddAssignmentRule(Str(o, "object") ?? throw new FormatException("'object' is required"), new EmulatorAssignmentRule
                            {
                                Name = Str(o, "name") ?? throw new FormatException("'name' is required"),
                                OwnerId = owner.StartsWith('@') && keys.TryGetValue(owner[1..], out var ownerId) ? ownerId : owner,
                                When = o["when"] is null ? new Dictionary<string, string?>() : Obj(o["when"]).ToDictionary(w => w.Key, w => w.Value is null ? null : Json.Str(w.Value)),
                            });
                        }

                        break;
                    case "readOnlyFields":
                        foreach (var (objectName, list) in Obj(value))
                        {
                            location = $"$.readOnlyFields.{objectName}";
                            foreach (var field in Arr(list))
                            {
                                emulator.MakeFieldReadOnly(objectName, Json.Str(field) ?? throw new FormatException("field names must be strings"));
                            }
                        }

                        break;
                    case "recordTypes":
                        foreach (var (item, i) in Arr(value).Select((n, i) => (n, i)))
                        {
                            location = $"$.recordTypes[{i}]";
                            var o = Obj(item);
                            emulator.AddRecordType(Str(o, "object") ?? throw new FormatException("'object' is required"), new EmulatorRecordType
                            {
                                DeveloperName = Str(o, "developerName") ?? throw new FormatException("'developerName' is required"),
                                Label = Str(o, "label"),
                                IsDefault = Bool(o, "default"),
                                PicklistValues = o["picklistValues"] is null
                                    ? new Dictionary<string, IReadOnlyList<string>>()
                                    : Obj(o["picklistValues"]).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)Arr(p.Value).Select(x => Json.Str(x) ?? string.Empty).ToList()),
                            });
                        }

                        break;
                    case "clients":
                        foreach (var (item, i) in Arr(value).Select((n, i) => (n, i)))
                        {
                            location = $"$.clients[{i}]";
                            var o = Obj(item);
                            var clientId = Str(o, "clientId") ?? throw new FormatException("'clientId' is required");
                            if (o["callbackUrls"] is { } callbacks)
                            {
                                var requireSecret = o["requireSecretForWebServerFlow"] is null || Bool(o, "requireSecretForWebServerFlow");
                                emulator.RegisterClient(clientId, Arr(callbacks).Select(c => Json.Str(c) ?? throw new FormatException("'callbackUrls' must be a list of URLs")).ToList(), Str(o, "clientSecret"), requireSecret, Str(o, "publicKeyPem"));
                            }
                            else
                            {
                                emulator.RegisterClient(clientId, Str(o, "clientSecret"), Str(o, "publicKeyPem"));
                            }
                        }

                        break;
                    case "records":
                        foreach (var (objectName, list) in Obj(value))
                        {
                            foreach (var (item, i) in Arr(list).Select((n, i) => (n, i)))
                            {
                                location = $"$.records.{objectName}[{i}]";
                                var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                                string? recordKey = null;
                                foreach (var (field, fieldValue) in Obj(item))
                                {
                                    if (field == "$key")
                                    {
                                        recordKey = Json.Str(fieldValue);
                                        continue;
                                    }

                                    var s = fieldValue is JsonValue v && v.TryGetValue<string>(out var str) ? str : null;
                                    fields[field] = s is not null && s.StartsWith('@') && keys.TryGetValue(s[1..], out var referenced)
                                        ? referenced
                                        : fieldValue?.DeepClone();
                                }

                                var id = emulator.Insert(objectName, fields);
                                if (recordKey is not null)
                                {
                                    keys[recordKey] = id;
                                }
                            }
                        }

                        break;
                    case "updates":
                        // Changes applied after every record exists, e.g. deactivating a User that owns records.
                        foreach (var (objectName, list) in Obj(value))
                        {
                            foreach (var (item, i) in Arr(list).Select((n, i) => (n, i)))
                            {
                                location = $"$.updates.{objectName}[{i}]";
                                var o = Obj(item);
                                var id = Str(o, "Id") ?? throw new FormatException("'Id' is required");
                                var changes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                                foreach (var (field, fieldValue) in o.Where(p => p.Key != "Id"))
                                {
                                    changes[field] = fieldValue?.DeepClone();
                                }

                                var target = emulator.Find(objectName, id) ?? throw new FormatException($"no {objectName} with Id '{id}'");
                                emulator.Update((string)target["Id"]!, changes);
                            }
                        }

                        break;
                    default:
                        throw new FormatException($"unknown section '{key}' (expected settings, objects, fields, readOnlyFields, recordTypes, duplicateRules, validationRules, assignmentRules, clients, records or updates)");
                }
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new EmulatorSeedException(path, null, $"{location}: {e.Message}", e);
        }
    }

    private static void Settings(SalesforceEmulator emulator, JsonObject o)
    {
        foreach (var (key, value) in o)
        {
            switch (key)
            {
                case "dailyApiLimit":
                    emulator.DailyApiLimit = value?.GetValue<long>() ?? throw new FormatException("dailyApiLimit must be a number");
                    break;
                case "personAccounts":
                    if (value?.GetValueKind() == JsonValueKind.True)
                    {
                        emulator.EnablePersonAccounts();
                    }
                    else if (value?.GetValueKind() != JsonValueKind.False)
                    {
                        throw new FormatException("personAccounts must be true or false");
                    }

                    break;
                case "queryBatchSize":
                    emulator.QueryBatchSize = value?.GetValue<int>() ?? throw new FormatException("queryBatchSize must be a number");
                    break;
                default:
                    throw new FormatException($"unknown setting '{key}'");
            }
        }
    }

    private static EmulatorField Field(JsonObject o)
    {
        var typeName = Str(o, "type") ?? "text";
        var type = typeName.ToUpperInvariant() switch
        {
            "TEXT" or "STRING" => EmulatorFieldType.Text,
            "TEXTAREA" => EmulatorFieldType.TextArea,
            "EMAIL" => EmulatorFieldType.Email,
            "PHONE" => EmulatorFieldType.Phone,
            "URL" => EmulatorFieldType.Url,
            "NUMBER" or "DOUBLE" => EmulatorFieldType.Number,
            "INTEGER" or "INT" => EmulatorFieldType.Integer,
            "CURRENCY" => EmulatorFieldType.Currency,
            "BOOLEAN" or "CHECKBOX" => EmulatorFieldType.Boolean,
            "DATE" => EmulatorFieldType.Date,
            "DATETIME" => EmulatorFieldType.DateTime,
            "PICKLIST" => EmulatorFieldType.Picklist,
            "REFERENCE" or "LOOKUP" => EmulatorFieldType.Reference,
            _ => throw new FormatException($"unknown field type '{typeName}'"),
        };
        return new EmulatorField
        {
            Name = Str(o, "name") ?? throw new FormatException("a field needs a 'name'"),
            Label = Str(o, "label"),
            Type = type,
            Length = o["length"]?.GetValue<int>(),
            Required = Bool(o, "required"),
            Unique = Bool(o, "unique"),
            ExternalId = Bool(o, "externalId"),
            CaseSensitive = Bool(o, "caseSensitive"),
            RestrictedPicklist = Bool(o, "restricted") || Bool(o, "restrictedPicklist"),
            PicklistValues = (o["values"] ?? o["picklistValues"]) is JsonArray values ? values.Select(v => Json.Str(v) ?? string.Empty).ToList() : [],
            DefaultValue = o["defaultValue"] is JsonValue dv ? (dv.TryGetValue<bool>(out var b) ? b : Json.Str(dv)) : null,
            ReferenceTo = o["referenceTo"] switch
            {
                JsonArray a => a.Select(v => Json.Str(v) ?? string.Empty).ToList(),
                JsonValue v => [Json.Str(v) ?? string.Empty],
                _ => [],
            },
            Createable = !o.ContainsKey("createable") || Bool(o, "createable"),
            Updateable = !o.ContainsKey("updateable") || Bool(o, "updateable"),
        };
    }

    private static JsonObject Obj(JsonNode? node) => node as JsonObject ?? throw new FormatException("expected a JSON object");

    private static JsonArray Arr(JsonNode? node) => node as JsonArray ?? throw new FormatException("expected a JSON array");

    private static string? Str(JsonObject o, string name) => o[name] is { } n ? Json.Str(n) : null;

    private static bool Bool(JsonObject o, string name) => o[name] is { } n && (n.GetValueKind() == JsonValueKind.True || (n.GetValueKind() != JsonValueKind.False ? throw new FormatException($"'{name}' must be true or false") : false));
}
