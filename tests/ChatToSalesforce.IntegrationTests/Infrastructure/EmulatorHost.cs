using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.IntegrationTests.Infrastructure;

/// <summary>An emulator plus an SDK service provider wired to it (in-process handler, access-token flow).</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    private EmulatorHost(SalesforceEmulator emulator, ServiceProvider services)
    {
        Emulator = emulator;
        Services = services;
        Exporter = services.GetRequiredService<IConversationExporter>();
    }

    public SalesforceEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public IConversationExporter Exporter { get; }

    /// <param name="configure">Options, applied after the defaults (AccessToken flow, no retry delays).</param>
    /// <param name="seed">Seeds the emulator before the SDK is wired.</param>
    /// <param name="build">Customizes the builder (stages, HTTP handlers).</param>
    /// <param name="emulatorOptions">Emulator settings (rotation, session timeout, clock).</param>
    /// <param name="services">Registrations made before AddSalesforceChatExport (which uses TryAdd), e.g. a fake TimeProvider.</param>
    public static EmulatorHost Create(
        Action<SalesforceChatExportOptions>? configure = null,
        Action<SalesforceEmulator>? seed = null,
        Action<ISalesforceChatExportBuilder>? build = null,
        SalesforceEmulatorOptions? emulatorOptions = null,
        Action<IServiceCollection>? services = null)
    {
        var emulator = new SalesforceEmulator(emulatorOptions);
        seed?.Invoke(emulator);
        return Wire(emulator, configure, build, services, inProcess: true);
    }

    /// <summary>Wires the SDK to an existing emulator: in-process through its handler, or over real HTTP (its loopback server).</summary>
    public static EmulatorHost Wire(
        SalesforceEmulator emulator,
        Action<SalesforceChatExportOptions>? configure = null,
        Action<ISalesforceChatExportBuilder>? build = null,
        Action<IServiceCollection>? before = null,
        bool inProcess = true)
    {
        var services = new ServiceCollection();
        before?.Invoke(services);
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.IssueAccessToken();
            o.Resilience.BaseDelay = TimeSpan.Zero;
            o.Resilience.MaxDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        if (inProcess)
        {
            builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        }

        build?.Invoke(builder);
        return new EmulatorHost(emulator, services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

internal static class Chats
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static Conversation New(string id = "chat-1", string? email = "ada@example.com", string? name = "Ada Lovelace", string? agentEmail = null, int messages = 3,
        IReadOnlyDictionary<string, string?>? custom = null, string channel = "web", string? phone = null, IReadOnlyList<ChatAttachment>? attachments = null,
        ChatVisitor? visitor = null, string? notes = null, string? wrapUp = null, Uri? requestPage = null) => new()
    {
        Id = id,
        Channel = channel,
        StartedAt = Start,
        EndedAt = Start.AddMinutes(12),
        Visitor = visitor ?? new ChatVisitor { Name = name, Email = email, Phone = phone },
        Notes = notes,
        WrapUp = wrapUp,
        RequestPage = requestPage,
        Agent = agentEmail is null ? null : new ChatAgent { Name = "Agent", Email = agentEmail },
        Messages = Enumerable.Range(0, messages).Select(i => new ChatMessage
        {
            Role = i % 2 == 0 ? ChatRole.Visitor : ChatRole.Agent,
            SenderName = i % 2 == 0 ? name : "Agent",
            Text = $"Message {i}",
            SentAt = Start.AddMinutes(i),
        }).ToArray(),
        CustomFields = custom ?? new Dictionary<string, string?>(),
        Attachments = attachments ?? [],
    };
}
