using ChatToSalesforce.Conversations.Internal;
using System.Text.RegularExpressions;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.DependencyInjection.Internal;

/// <summary>
/// Validates <see cref="SalesforceChatExportOptions"/>; each failure names the property and says what to do. Range and
/// required rules are attributes on the options classes, checked by the source-generated validators
/// (<see cref="ExportOptionsAttributeValidator"/> and the nested ones, run here with their path); this class holds the
/// rules that span several properties or need more than an attribute says (formats with the value in the message,
/// authentication per flow, mappings, filters, identity rules).
/// </summary>
internal sealed partial class SalesforceChatExportOptionsValidator : IValidateOptions<SalesforceChatExportOptions>
{
    /// <summary>The options name a store tenant's settings are validated under (always in full).</summary>
    internal const string TenantName = "tenant";

    private readonly IServiceProvider? _services;

    public SalesforceChatExportOptionsValidator()
    {
    }

    public SalesforceChatExportOptionsValidator(IServiceProvider services)
    {
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, SalesforceChatExportOptions options)
    {
        var errors = new List<string>();
        AttributeRules(options, errors);

        // With a tenant store, the start-up options may be only the vendor's platform app (no org of their own): every
        // tenant's options are validated in full when loaded, with the platform app filled in.
        var platformOnly = name != TenantName && options.InstanceUrl is null && _services?.GetService(typeof(ChatToSalesforce.Tenancy.ISalesforceTenantStore)) is not null;
        ValidateConnection(options, errors, platformOnly);
        if (!platformOnly)
        {
            ValidateAuthentication(options, errors);
        }

        ValidatePipeline(options, errors);
        ChatToSalesforce.Redaction.Internal.RedactionValidation.Validate(options.Redaction, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateConnection(SalesforceChatExportOptions o, List<string> errors, bool platformOnly)
    {
        if (!platformOnly && InstanceUrlRules.Check(o.InstanceUrl, o.AllowTestEndpoint) is { } problem)
        {
            errors.Add($"{nameof(o.InstanceUrl)}: {problem}");
        }

        if (string.IsNullOrWhiteSpace(o.ApiVersion) || !ApiVersionPattern().IsMatch(o.ApiVersion))
        {
            errors.Add($"{nameof(o.ApiVersion)}: '{o.ApiVersion}' is not an API version; use a value such as '62.0'.");
        }

        // Sent as an HTTP header on every write: a line break or a character a header cannot carry would only fail there.
        // The value is not echoed (a line break in it would split the message).
        if (o.DuplicateRuleHeader is { } duplicateRuleHeader && duplicateRuleHeader.Any(c => c != '\t' && (c < ' ' || c > '~')))
        {
            errors.Add($"{nameof(o.DuplicateRuleHeader)}: contains a line break, a control character or a non-ASCII character, which an HTTP header cannot carry; use plain text such as 'allowSave=true' or 'allowSave=true, runAsCurrentUser=true', or leave it unset to send no header.");
        }

        var r = o.Resilience;
        if (r.BaseDelay < TimeSpan.Zero || r.MaxDelay < r.BaseDelay)
        {
            errors.Add("Resilience.BaseDelay/MaxDelay: BaseDelay must be non-negative and not above MaxDelay.");
        }

        // Each timeout's own range is an attribute (Polly refuses values outside it when the first export builds the
        // transport); here only how the two relate.
        if (r.TotalTimeout < r.AttemptTimeout)
        {
            errors.Add("Resilience.AttemptTimeout/TotalTimeout: AttemptTimeout must not be above TotalTimeout.");
        }

        var shares = o.ApiBudgets ?? new ApiBudgetOptions();
        if (shares.Backfill > (shares.Live ?? o.ApiBudget ?? 1) || (shares.Live ?? o.ApiBudget ?? 1) > (shares.Interactive ?? o.ApiBudget ?? 1))
        {
            errors.Add("ApiBudgets: backfills must stop no later than live exports, and live exports no later than interactive work (Backfill <= Live <= Interactive).");
        }

        // Unset is a meaning of its own (no window), so "longer than zero" applies only to a value: not a range attribute.
        if (o.Transcript.ReopenWindow is { } window && window <= TimeSpan.Zero)
        {
            errors.Add($"Transcript.ReopenWindow: '{window}' must be longer than zero (for example 1.00:00:00 for a day), or left out to update the same activity however late a conversation resumes.");
        }
    }

    private static void ValidateAuthentication(SalesforceChatExportOptions o, List<string> errors)
    {
        var a = o.Authentication;
        if (a is null)
        {
            errors.Add("Authentication: is required; set Authentication.Flow and its credentials.");
            return;
        }

        void Require(string? value, string property, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"Authentication.{property}: is required for the {a.Flow} flow; set it to {what}.");
            }
        }

        // The token request carries the client secret, refresh token or signed JWT: it only goes to Salesforce.
        if (a.TokenUrl is { } customTokenUrl && InstanceUrlRules.CheckTokenUrl(customTokenUrl, o.AllowTestEndpoint) is { } tokenUrlProblem)
        {
            errors.Add($"Authentication.TokenUrl: {tokenUrlProblem} Or leave TokenUrl unset to use InstanceUrl.");
        }

        // The JWT flow has its own, stricter rule for LoginUrl (the audience) below.
        var jwtAudienceProblem = a.Flow == SalesforceAuthFlow.JwtBearer && !o.AllowTestEndpoint && !IsLoginAudience(a.LoginUrl);
        if (!jwtAudienceProblem && a.LoginUrl is { } loginUrl && InstanceUrlRules.CheckTokenUrl(loginUrl, o.AllowTestEndpoint) is { } loginUrlProblem)
        {
            errors.Add($"Authentication.LoginUrl: {loginUrlProblem}");
        }

        if (a.Flow == SalesforceAuthFlow.JwtBearer && !string.IsNullOrWhiteSpace(a.PrivateKeyPem) && !a.PrivateKeyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            errors.Add("Authentication.PrivateKeyPem: is not a PEM private key; paste the whole key including '-----BEGIN PRIVATE KEY-----' (or 'BEGIN RSA PRIVATE KEY') and its END line.");
        }

        switch (a.Flow)
        {
            case SalesforceAuthFlow.JwtBearer:
                Require(a.ClientId, nameof(a.ClientId), "the External Client App's consumer key");
                Require(a.Username, nameof(a.Username), "the Salesforce username to act as");
                if (string.IsNullOrWhiteSpace(a.PrivateKeyPem) && string.IsNullOrWhiteSpace(a.PrivateKeyPath))
                {
                    errors.Add("Authentication.PrivateKeyPem: the JwtBearer flow needs the RSA private key; set PrivateKeyPem (PEM text) or PrivateKeyPath (a PEM file).");
                }
                else if (!string.IsNullOrWhiteSpace(a.PrivateKeyPath) && string.IsNullOrWhiteSpace(a.PrivateKeyPem) && !File.Exists(a.PrivateKeyPath))
                {
                    errors.Add("Authentication.PrivateKeyPath: the file does not exist; point it at the PEM file holding the RSA private key.");
                }

                if (jwtAudienceProblem || (o.AllowTestEndpoint && a.LoginUrl is null))
                {
                    errors.Add("Authentication.LoginUrl: the JWT audience must be https://login.salesforce.com (production) or https://test.salesforce.com (sandbox).");
                }

                break;
            case SalesforceAuthFlow.ClientCredentials:
                Require(a.ClientId, nameof(a.ClientId), "the External Client App's consumer key");
                Require(a.ClientSecret, nameof(a.ClientSecret), "the External Client App's consumer secret");
                if (a.TokenUrl is { IsAbsoluteUri: true } tokenUrl && InstanceUrlRules.IsLoginHost(tokenUrl))
                {
                    errors.Add("Authentication.TokenUrl: the ClientCredentials flow only works on the org's My Domain token URL (login/test hosts answer 'request not supported on this domain'); remove TokenUrl to use InstanceUrl.");
                }

                break;
            case SalesforceAuthFlow.RefreshToken:
                Require(a.ClientId, nameof(a.ClientId), "the External Client App's consumer key");
                Require(a.RefreshToken, nameof(a.RefreshToken), "the refresh token obtained when the user authorized the app");
                break;
            case SalesforceAuthFlow.AccessToken:
                Require(a.AccessToken, nameof(a.AccessToken), "an access token your application manages");
                break;
            case SalesforceAuthFlow.Custom:
                break;
            default:
                errors.Add($"Authentication.Flow: '{a.Flow}' is not a supported flow; use JwtBearer, ClientCredentials, RefreshToken, AccessToken or Custom.");
                break;
        }
    }

    private static void ValidatePipeline(SalesforceChatExportOptions o, List<string> errors)
    {
        if (o.DefaultOwnerId is { } owner && !ChatToSalesforce.Salesforce.Internal.RecordIds.IsUserId(owner))
        {
            errors.Add($"{nameof(o.DefaultOwnerId)}: '{owner}' is not a Salesforce User id; use the 15- or 18-character id that starts with 005 (Setup → Users → the user's URL).");
        }

        if (o.CampaignId is { } campaign && !CampaignIdPattern().IsMatch(campaign))
        {
            errors.Add($"{nameof(o.CampaignId)}: '{campaign}' is not a Campaign id; use the 15- or 18-character id that starts with 701.");
        }

        CheckField(o.ConversationIdField, nameof(o.ConversationIdField), errors);
        CheckField(o.PersonKeyField, nameof(o.PersonKeyField), errors);
        if (o.PersonKeyField is not null && ConversationValues.Validate(o.PersonKeySource) is { } keySourceProblem)
        {
            errors.Add($"{nameof(o.PersonKeySource)}: {keySourceProblem}.");
        }

        foreach (var field in o.ProtectedFields ?? [])
        {
            CheckField(field, $"{nameof(o.ProtectedFields)}['{field}']", errors);
        }

        for (var i = 0; i < (o.FieldMappings?.Count ?? 0); i++)
        {
            var m = o.FieldMappings![i];
            var where = $"FieldMappings[{i}]";
            if (m is null)
            {
                errors.Add($"{where}: is empty; give a Source (or Value) and a Target.");
                continue;
            }

            if (m.Source is null == m.Value is null)
            {
                errors.Add($"{where}: set exactly one of Source (a conversation value) and Value (a constant).");
            }
            else if (m.Source is not null && ConversationValues.Validate(m.Source) is { } sourceProblem)
            {
                errors.Add($"{where}.Source: {sourceProblem}.");
            }

            if (!FieldTarget.TryParse(m.Target, out _, out _))
            {
                errors.Add($"{where}.Target: '{m.Target}' is not '<Object>.<Field>'; write for example 'Contact.Mongoose_Student_Type__c' or 'Task.Type'.");
            }
        }

        for (var i = 0; i < (o.Filters?.Count ?? 0); i++)
        {
            var c = o.Filters![i];
            var where = $"Filters[{i}]";
            if (c is null)
            {
                errors.Add($"{where}: is empty; give a Source and one of Equals, NotEquals, In or Exists.");
                continue;
            }

            if (ConversationValues.Validate(c.Source) is { } problem)
            {
                errors.Add($"{where}.Source: {problem}.");
            }

            var operators = (c.Equals is not null ? 1 : 0) + (c.NotEquals is not null ? 1 : 0) + (c.In is not null ? 1 : 0) + (c.Exists is not null ? 1 : 0);
            if (operators != 1)
            {
                errors.Add($"{where}: set exactly one of Equals, NotEquals, In or Exists (found {operators}).");
            }
        }

        var identity = o.Identity ?? new IdentityOptions();
        for (var i = 0; i < (identity.Rules?.Count ?? 0); i++)
        {
            var rule = identity.Rules![i];
            var where = $"Identity.Rules[{i}]";
            switch (rule?.Kind)
            {
                case IdentificationRuleKind.ExternalId:
                    CheckField(rule.Field, where + ".Field", errors, required: true);
                    if (ConversationValues.Validate(rule.Source) is { } p)
                    {
                        errors.Add($"{where}.Source: {p}.");
                    }

                    break;
                case IdentificationRuleKind.Phone:
                    CheckField(rule.Field, where + ".Field", errors);
                    break;
                case IdentificationRuleKind.Soql:
                    foreach (var soqlProblem in SoqlTemplate.ValidateForConversation(rule.Soql))
                    {
                        errors.Add($"{where}.Soql: {soqlProblem}");
                    }

                    break;
            }
        }

        foreach (var source in identity.RequiredSources ?? [])
        {
            if (ConversationValues.Validate(source) is { } problem)
            {
                errors.Add($"Identity.RequiredSources['{source}']: {problem}.");
            }
        }

        if (o.Mode == ExportMode.Record)
        {
            if (!Soql.IsIdentifier(o.Record?.ObjectType) || o.Record!.ObjectType!.Contains('.', StringComparison.Ordinal))
            {
                errors.Add("Record.ObjectType: the Record mode needs the sObject to write, for example 'Chat_Lead__c'.");
            }
            else if (o.Record.KeyField is { } key && !(o.FieldMappings ?? []).Any(m => FieldTarget.TryParse(m?.Target, out var obj, out var f)
                         && string.Equals(obj, o.Record.ObjectType, StringComparison.OrdinalIgnoreCase) && string.Equals(f, key, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"Record.KeyField: '{key}' is not one of the mapped targets of {o.Record.ObjectType}; map a value to '{o.Record.ObjectType}.{key}' or remove KeyField to always create.");
            }
        }

    }

    /// <summary>The attribute rules of the options and of their nested settings, each failure prefixed with its path.</summary>
    private static void AttributeRules(SalesforceChatExportOptions o, List<string> errors)
    {
        Add(string.Empty, new ExportOptionsAttributeValidator().Validate(null, o));
        Add("Resilience.", o.Resilience is { } resilience ? new ResilienceOptionsAttributeValidator().Validate(null, resilience) : null);
        Add("ApiBudgets.", o.ApiBudgets is { } budgets ? new ApiBudgetOptionsAttributeValidator().Validate(null, budgets) : null);
        Add("Actions.", o.Actions is { } actions ? new ActionOptionsAttributeValidator().Validate(null, actions) : null);
        Add("Transcript.", o.Transcript is { } transcript ? new TranscriptOptionsAttributeValidator().Validate(null, transcript) : null);

        void Add(string path, ValidateOptionsResult? result)
        {
            foreach (var failure in result?.Failures ?? [])
            {
                errors.Add(path + failure);
            }
        }
    }

    private static void CheckField(string? field, string property, List<string> errors, bool required = false)
    {
        if (field is null)
        {
            if (required)
            {
                errors.Add($"{property}: is required; give a Salesforce field API name.");
            }

            return;
        }

        if (!Soql.IsIdentifier(field) || field.Contains('.', StringComparison.Ordinal))
        {
            errors.Add($"{property}: '{field}' is not a Salesforce field API name (letters, digits and underscores, for example Chat_Conversation_Id__c).");
        }
    }

    private static bool IsLoginAudience(Uri? url) =>
        url is { IsAbsoluteUri: true } && url.Scheme == Uri.UriSchemeHttps && InstanceUrlRules.IsLoginHost(url);

    [GeneratedRegex(@"^v?\d{2,3}\.0$")]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex("^701[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$")]
    private static partial Regex CampaignIdPattern();
}
