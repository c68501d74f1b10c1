using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy.Internal;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>
/// The chatbot actions and the flow builder's metadata. Reads go through the export's read path (<see cref="ActionReads"/>);
/// writes are one unit of one operation through the export's write transport (<see cref="ISalesforceClient.WriteAsync"/>).
/// Record values and Salesforce's messages are never logged.
/// </summary>
internal sealed partial class ChatbotActions(TenantRegistry tenants, ActionCache cache) : IChatbotActions
{
    /// <summary>Field types a find compares as text (the lookup's <c>IN</c> list of quoted literals).</summary>
    private static readonly string[] FindableTypes = ["string", "email", "phone", "url", "picklist", "combobox", "id", "reference", "encryptedstring"];

    public async Task<BotActionResult> FindRecordAsync(FindRecordRequest request, CancellationToken cancellationToken = default)
    {
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ObjectType);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Field);
        ArgumentNullException.ThrowIfNull(request.Value);
        var tenant = await tenants.GetAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var objectType = request.ObjectType.Trim();
        var returned = request.ReturnFields.Select(f => f.Trim()).Where(f => f.Length > 0 && !string.Equals(f, "Id", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var key = string.Join('|', "find", objectType, request.Field.Trim(), request.Value.Trim(), string.Join(',', returned));
        if (cache.TryGet<BotActionResult>(tenant.OrgKey, objectType, key, out var cached))
        {
            return cached.Cached();
        }

        var calls = 0;
        try
        {
            var (description, describeCalls) = await DescribeAsync(tenant, objectType, cancellationToken).ConfigureAwait(false);
            calls += describeCalls;
            if (CheckFind(description, objectType, request.Field.Trim(), returned) is { } problem)
            {
                return Failed(objectType, problem, calls);
            }

            var field = description!.FindField(request.Field.Trim())!;
            var lookup = new SalesforceLookup { ObjectType = description.Name, Field = field.Name, Value = request.Value.Trim(), Fields = returned };
            var (records, lookupCalls) = await ActionReads.RunAsync(tenant, r => r.LookupAsync(lookup, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            calls += lookupCalls;
            var result = records.Count == 0
                ? new BotActionResult(BotActionOutcome.NotFound, description.Name, null, new Dictionary<string, string?>(), null, calls)
                : new BotActionResult(BotActionOutcome.Found, description.Name, records[0].GetString("Id"), ActionReads.Values(records[0], returned.Prepend("Id")), null, calls);
            cache.Set(tenant.OrgKey, objectType, key, result, tenant.Options.Actions);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && BotFailures.FromException(ex) is { } failure)
        {
            return Failed(objectType, failure, calls);
        }
    }

    public async Task<BotActionResult> FindRecordBySoqlAsync(SoqlFindRequest request, CancellationToken cancellationToken = default)
    {
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Template);
        var tenant = await tenants.GetAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var template = request.Template;
        var values = ActionReads.RequestValues(request.Values, out var problem);
        if (problem is not null)
        {
            return Failed(template.ObjectType, BotFailures.Checked(BotActionFailureKind.Validation, "AMBIGUOUS_VALUE", template.ObjectType, null, problem + " Nothing was queried."), 0);
        }

        var soql = template.Bind(
            name => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : request.Conversation is { } c ? ConversationValues.Read(c, name) : null,
            out var missing);
        if (soql is null)
        {
            return Failed(template.ObjectType, BotFailures.Checked(BotActionFailureKind.Validation, "MISSING_VALUE", template.ObjectType, null, $"The placeholder {{!{missing}}} has no value in this conversation; nothing was queried."), 0);
        }

        var key = "soql|" + soql;
        if (cache.TryGet<BotActionResult>(tenant.OrgKey, template.ObjectType, key, out var cached))
        {
            return cached.Cached();
        }

        var calls = 0;
        try
        {
            var (result, readCalls) = await ActionReads.RunAsync(tenant, r => r.QueryAsync(soql, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            calls = readCalls;
            var first = result.Records.FirstOrDefault();

            // Only what the SELECT list names can be read back: the bot gets those fields and nothing else of the row.
            var answer = first is null
                ? new BotActionResult(BotActionOutcome.NotFound, template.ObjectType, null, new Dictionary<string, string?>(), null, calls)
                : new BotActionResult(BotActionOutcome.Found, template.ObjectType, template.SelectedFields.Contains("Id", StringComparer.OrdinalIgnoreCase) ? first.GetString("Id") : null, ActionReads.Values(first, template.SelectedFields), null, calls);
            cache.Set(tenant.OrgKey, template.ObjectType, key, answer, tenant.Options.Actions);
            return answer;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && BotFailures.FromException(ex) is { } failure)
        {
            return Failed(template.ObjectType, failure, calls);
        }
    }

    public async Task<IReadOnlyList<SalesforceObjectSummary>> GetObjectsAsync(string? tenantId = null, CancellationToken cancellationToken = default)
    {
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        var tenant = await tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (!tenant.Cache.TryGetObjectList(tenant.OrgKey, out var objects))
        {
            var batch = await tenant.Client.ReadAsync([SalesforceRead.ObjectList()], cancellationToken).ConfigureAwait(false);
            var read = batch.Results.Count > 0 ? batch.Results[0] : null;
            if (read?.Error is { } error)
            {
                throw error;
            }

            objects = (read?.Objects ?? []).Where(o => o.IsCreateable || o.IsQueryable).OrderBy(o => o.Name, StringComparer.Ordinal).ToArray();
            tenant.Cache.SetObjectList(tenant.OrgKey, objects, tenant.Options.MetadataCacheDuration);
        }

        return objects;
    }

    public async Task<CreatableFields> GetCreatableFieldsAsync(string objectType, string? tenantId = null, CancellationToken cancellationToken = default)
    {
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        var tenant = await tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var (description, _) = await DescribeAsync(tenant, objectType.Trim(), cancellationToken).ConfigureAwait(false);
        if (description is null)
        {
            throw new ExportConfigurationException("ObjectType", $"the object '{objectType.Trim()}' does not exist or the integration user cannot see it; check the API name (custom objects end in __c) and the user's permissions.");
        }

        var createable = description.Fields.Where(f => f.Createable).OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
        return new CreatableFields(description.Name, createable.Where(f => f.IsRequiredOnCreate).ToArray(), createable.Where(f => !f.IsRequiredOnCreate).ToArray());
    }

    /// <summary>The object's describe from the cache or the read path; <see langword="null"/> when the object does not exist.</summary>
    private static async Task<(SalesforceObjectDescription? Description, int ApiCalls)> DescribeAsync(TenantContext tenant, string objectType, CancellationToken cancellationToken)
    {
        if (!Soql.IsIdentifier(objectType) || objectType.Contains('.', StringComparison.Ordinal))
        {
            return (null, 0);
        }

        try
        {
            return await ActionReads.RunAsync<SalesforceObjectDescription?>(tenant, async r => await r.DescribeAsync(objectType, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound || e.ErrorCode is "NOT_FOUND" or "INVALID_TYPE")
        {
            return (null, 1);
        }
    }

    private static BotActionFailure? CheckFind(SalesforceObjectDescription? description, string objectType, string fieldName, IReadOnlyList<string> returned)
    {
        if (description is null)
        {
            return UnknownObject(objectType);
        }

        if (description.FindField(fieldName) is not { } field)
        {
            return BotFailures.Checked(BotActionFailureKind.NotFound, "INVALID_FIELD", objectType, fieldName, $"{objectType}.{fieldName}: the field does not exist or the integration user cannot see it (field-level security).");
        }

        if (!field.IsFilterable || !FindableTypes.Contains(field.Type.ToLowerInvariant()))
        {
            return BotFailures.Checked(BotActionFailureKind.Validation, "INVALID_FIELD", objectType, field.Name, $"{objectType}.{field.Name}: a record cannot be found by this {field.Type} field (it is not filterable as text); search by another field or use a SOQL template.");
        }

        foreach (var name in returned)
        {
            // A relationship path (Account.Name) is checked by Salesforce; a plain field is checked here.
            if (!Soql.IsIdentifier(name) || (!name.Contains('.', StringComparison.Ordinal) && description.FindField(name) is null))
            {
                return BotFailures.Checked(BotActionFailureKind.NotFound, "INVALID_FIELD", objectType, name, $"{objectType}.{name}: the field to return does not exist or the integration user cannot see it.");
            }
        }

        return null;
    }

    private static BotActionFailure UnknownObject(string objectType) =>
        BotFailures.Checked(BotActionFailureKind.NotFound, "INVALID_TYPE", objectType, null, $"{objectType}: the object does not exist or the integration user cannot see it; check the API name (custom objects end in __c).");

    private static BotActionResult Failed(string objectType, BotActionFailure failure, int calls) =>
        new(BotActionOutcome.Failed, objectType, null, new Dictionary<string, string?>(), failure, calls);
}
