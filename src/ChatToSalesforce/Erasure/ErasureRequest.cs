namespace ChatToSalesforce.Erasure;

/// <summary>Whose records to erase, in which tenant, and how.</summary>
public sealed class ErasureRequest
{
    /// <summary>The person's email: the Contacts and Leads with it are the person.</summary>
    public required string Email { get; init; }

    /// <summary>The tenant; <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Delete (to the recycle bin, the default) or anonymise.</summary>
    public ErasureMode Mode { get; init; } = ErasureMode.Delete;

    /// <summary>Also erase the person (Contact or Lead) when the SDK's integration user created it and, once the SDK's activities are gone, nothing else references it.</summary>
    public bool IncludePerson { get; init; }

    /// <summary>Only the activities of these conversations; empty for all of the person's.</summary>
    public IReadOnlyList<string> ConversationIds { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => $"ErasureRequest {{ TenantId = {TenantId}, Mode = {Mode}, IncludePerson = {IncludePerson} }}";
}
