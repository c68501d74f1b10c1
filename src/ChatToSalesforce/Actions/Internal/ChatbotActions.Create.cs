using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy.Internal;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>"Create a record", optionally updating the record a key field finds.</summary>
internal sealed partial class ChatbotActions
{
    public async Task<BotActionResult> CreateRecordAsync(CreateRecordRequest request, CancellationToken cancellationToken = default)
    {
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ObjectType);
        ArgumentNullException.ThrowIfNull(request.Fields);
        var tenant = await tenants.GetAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var objectType = request.ObjectType.Trim();
        var calls = 0;
        try
        {
            var (description, describeCalls) = await DescribeAsync(tenant, objectType, cancellationToken).ConfigureAwait(false);
            calls += describeCalls;
            if (description is null)
            {
                return Failed(objectType, UnknownObject(objectType), calls);
            }

            objectType = description.Name;
            if (request.KeyField is null)
            {
                return await WriteAsync(tenant, description, request, SalesforceWriteKind.Create, null, calls, cancellationToken).ConfigureAwait(false);
            }

            // The key: a field of the request that has a value and that Salesforce can search by.
            var keyName = request.KeyField.Trim();
            var keyValue = request.Fields.FirstOrDefault(f => string.Equals(f.Key, keyName, StringComparison.OrdinalIgnoreCase)).Value;
            if (description.FindField(keyName) is not { } key)
            {
                return Failed(objectType, BotFailures.Checked(BotActionFailureKind.NotFound, "INVALID_FIELD", objectType, keyName, $"{objectType}.{keyName}: the key field does not exist or the integration user cannot see it."), calls);
            }

            if (string.IsNullOrWhiteSpace(keyValue))
            {
                return Failed(objectType, BotFailures.Checked(BotActionFailureKind.Validation, "REQUIRED_FIELD_MISSING", objectType, key.Name, $"{objectType}.{key.Name}: the key field has no value, so the existing record cannot be found; give it a value or leave KeyField out to always create."), calls);
            }

            if (key.IsExternalId)
            {
                // One call: Salesforce finds the record by its external id and updates it, or creates it.
                return await WriteAsync(tenant, description, request, SalesforceWriteKind.Upsert, (key.Name, keyValue.Trim()), calls, cancellationToken).ConfigureAwait(false);
            }

            if (!key.IsFilterable)
            {
                return Failed(objectType, BotFailures.Checked(BotActionFailureKind.Validation, "INVALID_FIELD", objectType, key.Name, $"{objectType}.{key.Name}: a {key.Type} field cannot be searched, so it cannot be the key; choose a filterable (ideally external-id) field."), calls);
            }

            var lookup = new SalesforceLookup { ObjectType = objectType, Field = key.Name, Value = keyValue.Trim() };
            var (matches, lookupCalls) = await ActionReads.RunAsync(tenant, r => r.LookupAsync(lookup, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            calls += lookupCalls;
            return matches.Count switch
            {
                0 => await WriteAsync(tenant, description, request, SalesforceWriteKind.Create, null, calls, cancellationToken).ConfigureAwait(false),
                1 => await WriteAsync(tenant, description, request, SalesforceWriteKind.Update, (null, matches[0].GetString("Id")), calls, cancellationToken).ConfigureAwait(false),
                _ => Failed(objectType, BotFailures.Checked(BotActionFailureKind.SeveralMatches, "MULTIPLE_RECORDS_FOUND", objectType, key.Name, $"{objectType}.{key.Name}: {matches.Count} records have this key, so the one to update is unclear; nothing was written. Make the key unique (an external-id field) or clean up the duplicates."), calls),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException && BotFailures.FromException(ex) is { } failure)
        {
            return Failed(objectType, failure, calls);
        }
    }

    private async Task<BotActionResult> WriteAsync(
        TenantContext tenant,
        SalesforceObjectDescription description,
        CreateRecordRequest request,
        SalesforceWriteKind kind,
        (string? Field, string? Value)? target,
        int calls,
        CancellationToken cancellationToken)
    {
        var objectType = description.Name;
        var fields = request.Fields;
        if (kind == SalesforceWriteKind.Upsert)
        {
            // The key travels in the upsert's URL, not in the body.
            fields = fields.Where(f => !string.Equals(f.Key, target!.Value.Field, StringComparison.OrdinalIgnoreCase)).ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
        }

        if (RecordValues.Build(description, fields, creating: kind != SalesforceWriteKind.Update, updating: kind != SalesforceWriteKind.Create, out var values) is { } problem)
        {
            return Failed(objectType, problem, calls);
        }

        var operation = new SalesforceWriteOperation
        {
            Name = "record",
            Kind = kind,
            ObjectType = objectType,
            Id = kind == SalesforceWriteKind.Update ? target!.Value.Value : null,
            ExternalIdField = kind == SalesforceWriteKind.Upsert ? target!.Value.Field : null,
            ExternalIdValue = kind == SalesforceWriteKind.Upsert ? target!.Value.Value : null,
            Fields = values,
            SuppressAssignmentRules = values.ContainsField("OwnerId") && tenant.Options.SuppressAssignmentRules,
        };
        var unit = new SalesforceWriteUnit { Key = "bot action" };
        unit.Operations.Add(operation);
        var batch = await tenant.Client.WriteAsync([unit], cancellationToken).ConfigureAwait(false);
        calls += batch.ApiCalls;
        cache.Forget(tenant.OrgKey, objectType);
        var result = batch.Units.Count > 0 ? batch.Units[0] : new SalesforceWriteResult(false, []);
        var written = result.Operations.Count > 0 ? result.Operations[0] : null;
        if (!result.Success || written is null || !written.Success)
        {
            return Failed(objectType, written is { Errors.Count: > 0 } ? BotFailures.FromErrors(written.Errors) : BotFailures.Checked(BotActionFailureKind.Transient, "NOT_PROCESSED", objectType, null, "Salesforce did not process the write; try again."), calls);
        }

        var created = kind == SalesforceWriteKind.Create || (kind == SalesforceWriteKind.Upsert && written.Created);
        return new BotActionResult(created ? BotActionOutcome.Created : BotActionOutcome.Updated, objectType, written.Id, new Dictionary<string, string?>(), null, calls);
    }
}
