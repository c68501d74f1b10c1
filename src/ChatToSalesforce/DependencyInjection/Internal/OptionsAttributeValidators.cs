using ChatToSalesforce.Actions;
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
