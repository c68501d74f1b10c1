using ChatToSalesforce.Actions;
using ChatToSalesforce.Tenancy;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.DependencyInjection.Internal;

// The range and required rules declared as data-annotation attributes on the options classes, checked by validators the
// options source generator writes (no reflection). SalesforceChatExportOptionsValidator runs them, naming each nested
// object's path, before its own cross-property rules.

/// <summary>The attribute rules of <see cref="SalesforceChatExportOptions"/>'s own properties.</summary>
[OptionsValidator]
internal sealed partial class ExportOptionsAttributeValidator : IValidateOptions<SalesforceChatExportOptions>;

/// <summary>The attribute rules of <see cref="SalesforceResilienceOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ResilienceOptionsAttributeValidator : IValidateOptions<SalesforceResilienceOptions>;

/// <summary>The attribute rules of <see cref="ApiBudgetOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ApiBudgetOptionsAttributeValidator : IValidateOptions<ApiBudgetOptions>;

/// <summary>The attribute rules of <see cref="ChatActionOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ActionOptionsAttributeValidator : IValidateOptions<ChatActionOptions>;

/// <summary>The attribute rules of <see cref="TranscriptOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class TranscriptOptionsAttributeValidator : IValidateOptions<TranscriptOptions>;

/// <summary>The attribute rules of <see cref="SalesforceTenancyOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class TenancyOptionsAttributeValidator : IValidateOptions<SalesforceTenancyOptions>;

/// <summary>Validates <see cref="SalesforceTenancyOptions"/> (set in code with <c>UseTenantStore</c>): its attribute rules, each failure named after the option.</summary>
internal sealed class TenancyOptionsValidator : IValidateOptions<SalesforceTenancyOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceTenancyOptions options)
    {
        var result = new TenancyOptionsAttributeValidator().Validate(name, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures.Select(f => nameof(SalesforceTenancyOptions) + "." + f)) : result;
    }
}
