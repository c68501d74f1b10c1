namespace ChatToSalesforce.Testing;

/// <summary>Settings for a <see cref="SalesforceEmulator"/>. Every property has a default that behaves like a fresh org.</summary>
public sealed class SalesforceEmulatorOptions
{
    /// <summary>The instance URL used in-process (token responses, record URLs). Defaults to <c>https://emulator.my.salesforce.com</c>; replaced by the loopback URL once the server starts.</summary>
    public Uri? InstanceUrl { get; set; }

    /// <summary>The daily API allocation (rolling 24 h in Salesforce; here, until <see cref="SalesforceEmulator.ResetApiUsage"/>). Defaults to 100,000.</summary>
    public long DailyApiLimit { get; set; } = 100_000;

    /// <summary>Records per query page before <c>nextRecordsUrl</c> is used. Defaults to 2,000 (Salesforce's default).</summary>
    public int QueryBatchSize { get; set; } = 2000;

    /// <summary>Inactivity timeout of sessions (access tokens). <see langword="null"/> (the default) means sessions never time out.</summary>
    public TimeSpan? SessionTimeout { get; set; }

    /// <summary>When <see langword="true"/>, every refresh-token grant returns a new refresh token and invalidates the old one (Refresh Token Rotation).</summary>
    public bool RefreshTokenRotation { get; set; }

    /// <summary>
    /// Which clients the token endpoint accepts besides <see cref="ClientId"/>/<see cref="ClientSecret"/> and the clients registered with
    /// <see cref="SalesforceEmulator.RegisterClient(string, string?, string?)"/>. <see langword="true"/>: any client id and secret. <see langword="false"/>: no other client.
    /// <see langword="null"/> (the default): any client in-process (<see cref="SalesforceEmulator.CreateHandler"/>), none over HTTP
    /// (<see cref="SalesforceEmulator.StartServerAsync"/>), so a served emulator gives tokens only to the configured credentials.
    /// </summary>
    public bool? AcceptAnyClient { get; set; }

    /// <summary>The client id (consumer key) the token endpoint always accepts, with <see cref="ClientSecret"/>. Defaults to <c>chat2sf</c>, as the chat2sf CLI uses.</summary>
    public string ClientId { get; set; } = "chat2sf";

    /// <summary>The client secret that goes with <see cref="ClientId"/>. Defaults to <c>chat2sf</c>, as the chat2sf CLI uses; set your own for an emulator other processes can reach.</summary>
    public string ClientSecret { get; set; } = "chat2sf";

    /// <summary>Added latency per request (applied with <c>Task.Delay</c>, outside the org lock, honoring cancellation).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The clock used for timestamps and session expiry. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How many entries <see cref="SalesforceEmulator.RequestLog"/> keeps (the most recent ones). Defaults to 10,000; 0 keeps none.</summary>
    public int RequestLogCapacity { get; set; } = 10_000;

    /// <summary>The username of the integration ("connecting") user created at start. Defaults to <c>integration@emulator.example.com</c>.</summary>
    public string IntegrationUsername { get; set; } = "integration@emulator.example.com";

    /// <summary>
    /// When <see langword="true"/>, <c>GET /services/oauth2/authorize</c> of the web-server flow skips the login and consent page and
    /// redirects at once with a code for the integration user (for unit tests without a browser). Defaults to <see langword="false"/>: the page is shown.
    /// </summary>
    public bool AutoApproveAuthorization { get; set; }

    /// <summary>A copy, so an org of a cluster owns its settings (its limit and latency setters write here).</summary>
    internal SalesforceEmulatorOptions Clone() => (SalesforceEmulatorOptions)MemberwiseClone();
}
