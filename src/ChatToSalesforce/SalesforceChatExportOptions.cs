using System.ComponentModel.DataAnnotations;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Ownership;

namespace ChatToSalesforce;

/// <summary>Configures how conversations are exported into Salesforce.</summary>
/// <remarks>
/// Bind it from configuration with the same property names (<c>"Mode": "LeadAndTask"</c>) or configure it in code.
/// It is validated when the exporter is first resolved (and at start-up for hosted apps); every problem is reported
/// with the property it concerns and what to do.
/// </remarks>
public sealed class SalesforceChatExportOptions
{
    /// <summary>Gets or sets the org's My Domain URL, for example <c>https://acme.my.salesforce.com</c>. Required.</summary>
    /// <value>An https My Domain URL (production, sandbox or partitioned forms). The login/test hosts are not instance URLs.</value>
    public Uri? InstanceUrl { get; set; }

    /// <summary>Gets or sets the REST API version, for example <c>62.0</c>.</summary>
    /// <value>Defaults to <c>62.0</c> (Winter '25). A leading <c>v</c> is accepted.</value>
    public string ApiVersion { get; set; } = "62.0";

    /// <summary>Gets or sets whether a non-Salesforce endpoint (such as the emulator on loopback, over http) may be used as <see cref="InstanceUrl"/>.</summary>
    /// <value>Defaults to <see langword="false"/>. Never enable it in production.</value>
    public bool AllowTestEndpoint { get; set; }

    /// <summary>Gets or sets how the SDK authenticates.</summary>
    public SalesforceAuthenticationOptions Authentication { get; set; } = new();

    /// <summary>Gets or sets how transient Salesforce failures are retried.</summary>
#pragma warning disable SYSLIB1212 // its attribute rules run with its path (SalesforceChatExportOptionsValidator)
    public SalesforceResilienceOptions Resilience { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets which records are written: the person object and the activity object.</summary>
    /// <value>Defaults to <see cref="ExportMode.ContactAndTask"/>.</value>
    public ExportMode Mode { get; set; } = ExportMode.ContactAndTask;

    /// <summary>Gets or sets what happens to the fields of a person that already exists.</summary>
    /// <value>Defaults to <see cref="UpdatePolicy.FillBlanks"/>.</value>
    public UpdatePolicy UpdatePolicy { get; set; } = UpdatePolicy.FillBlanks;

    /// <summary>Gets or sets fields of an existing person that are never overwritten, whatever <see cref="UpdatePolicy"/> says.</summary>
    /// <value>Defaults to <c>OwnerId</c>, <c>Status</c> and <c>LeadSource</c>.</value>
    public IList<string> ProtectedFields { get; set; } = ["OwnerId", "Status", "LeadSource"];

    /// <summary>Gets or sets the Salesforce User id (15 or 18 characters, starting <c>005</c>) that owns exported records when no agent User matches.</summary>
    public string? DefaultOwnerId { get; set; }

    /// <summary>Gets or sets the order in which owner strategies are tried.</summary>
    /// <value>Defaults to agent User, then <see cref="DefaultOwnerId"/>, then the connecting user.</value>
    public IList<OwnerStrategy> OwnerStrategies { get; set; } = [OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner, OwnerStrategy.ConnectingUser];

    /// <summary>Gets or sets whether <c>Sforce-Auto-Assign: FALSE</c> is sent when the SDK sets <c>OwnerId</c>, so assignment rules do not replace it.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool SuppressAssignmentRules { get; set; } = true;

    /// <summary>Gets or sets the external-id field on the activity (Task/Case/Event) that holds the conversation id, for example <c>Chat_Conversation_Id__c</c>.</summary>
    /// <value>When set, the activity is upserted on it, so a re-export updates the same activity instead of adding one.</value>
    public string? ConversationIdField { get; set; }

    /// <summary>Gets or sets an external-id field on the person object (for example <c>Chat_Visitor_Key__c</c>) used to upsert the person in the same request as the activity.</summary>
    public string? PersonKeyField { get; set; }

    /// <summary>Gets or sets where the value of <see cref="PersonKeyField"/> comes from.</summary>
    /// <value>A source such as <c>visitor.email</c> (the default) or <c>custom:visitorId</c>.</value>
    public string PersonKeySource { get; set; } = "visitor.email";

    /// <summary>Gets or sets the extra field mappings from conversation values to Salesforce fields.</summary>
    public IList<FieldMapping> FieldMappings { get; set; } = [];

    /// <summary>Gets or sets the export conditions; all must hold, else the conversation is <see cref="ExportStatus.Skipped"/>.</summary>
    public IList<ExportCondition> Filters { get; set; } = [];

    /// <summary>Gets or sets how the visitor is identified in Salesforce.</summary>
    public IdentityOptions Identity { get; set; } = new();

    /// <summary>Gets or sets how the transcript activity is written.</summary>
#pragma warning disable SYSLIB1212 // its attribute rules run with its path (SalesforceChatExportOptionsValidator)
    public TranscriptOptions Transcript { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets what is redacted from conversations before they are exported (card numbers, IBANs, national ids, your own patterns).</summary>
    /// <value>Nothing is redacted by default; see docs/redaction.md.</value>
    public RedactionOptions Redaction { get; set; } = new();

    /// <summary>Gets or sets the Company written on a new Lead when the visitor gave none (Salesforce requires a Company on Leads).</summary>
    /// <value>Defaults to <c>[not provided]</c>.</value>
    [Required(ErrorMessage = "must not be empty; Salesforce requires a Company on every Lead, so this is written when the visitor gave none (for example [not provided]).")]
    public string LeadCompanyPlaceholder { get; set; } = "[not provided]";

    /// <summary>Gets or sets the Campaign the person is added to as a CampaignMember, if any.</summary>
    public string? CampaignId { get; set; }

    /// <summary>Gets or sets the CampaignMember status; <see langword="null"/> uses the campaign's default status.</summary>
    public string? CampaignMemberStatus { get; set; }

    /// <summary>Gets or sets the generic record target (used when <see cref="Mode"/> is <see cref="ExportMode.Record"/>).</summary>
    public RecordTargetOptions Record { get; set; } = new();

    /// <summary>Gets or sets what happens when a mapped value is not in a restricted picklist.</summary>
    /// <value>Defaults to <see cref="PicklistPolicy.Drop"/> (the value is left out and a warning is reported).</value>
    public PicklistPolicy RestrictedPicklistPolicy { get; set; } = PicklistPolicy.Drop;

    /// <summary>Gets or sets the value of the <c>Sforce-Duplicate-Rule-Header</c> sent on writes, for example <c>allowSave=true</c>; <see langword="null"/> sends none.</summary>
    public string? DuplicateRuleHeader { get; set; }

    /// <summary>Gets or sets the maximum number of conversations exported concurrently by <see cref="IConversationExporter.ExportManyAsync(IEnumerable{Conversation}, CancellationToken)"/>.</summary>
    /// <value>Defaults to 4; between 1 and 25.</value>
    [SettingRange(1, 25, "must be between 1 and 25 (Salesforce allows 25 concurrent long-running requests per org).")]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how long per-org metadata (describe results, agent Users) is cached.</summary>
    /// <value>Defaults to 1 hour.</value>
    [SettingRange("00:00:00", null, "must be positive.", MinimumIsExclusive = true)]
    public TimeSpan MetadataCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets the settings of the agent-console lookup and the chatbot actions (their short answer cache).</summary>
#pragma warning disable SYSLIB1212 // its attribute rules run with its path (SalesforceChatExportOptionsValidator)
    public Actions.ChatActionOptions Actions { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets the daily API usage share (0 to 1] above which exports fail fast with <see cref="SalesforceApiBudgetExceededException"/>; <see langword="null"/> sets no budget.</summary>
    /// <value>For example <c>0.8</c> leaves 20% of the daily allocation to the org's other integrations.</value>
    [SettingRange(0d, 1d, "must be a share of the daily allocation in (0, 1], for example 0.8; or leave it unset.", MinimumIsExclusive = true)]
    public double? ApiBudget { get; set; }

    /// <summary>Gets or sets the shares of the daily allocation at which each kind of work stops (backfills first); unset kinds use <see cref="ApiBudget"/>.</summary>
#pragma warning disable SYSLIB1212 // its attribute rules run with its path (SalesforceChatExportOptionsValidator)
    public ApiBudgetOptions ApiBudgets { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>A shallow copy (a tenant's private settings; nested option objects are shared unless replaced).</summary>
    internal SalesforceChatExportOptions Copy() => (SalesforceChatExportOptions)MemberwiseClone();
}
