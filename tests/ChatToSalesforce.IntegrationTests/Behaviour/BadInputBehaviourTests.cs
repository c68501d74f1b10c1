using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Behaviour;

/// <summary>Issue #5, bad input: what reaches Salesforce, what is skipped, what is refused.</summary>
public sealed class BadInputBehaviourTests
{
    private static EmulatorHost Host(Action<SalesforceChatExportOptions>? configure = null) => EmulatorHost.Create(configure, e =>
    {
        e.DefineField("Contact", new EmulatorField { Name = "Interest__c", Length = 255 });
        e.DefineField("Contact", new EmulatorField { Name = "Remarks__c", Type = EmulatorFieldType.TextArea, Length = 1000 });
    });

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task MissingEmail_IsSkipped_NoCall(string? email)
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(email: email));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Be("Not enough identity to export: visitor.email is missing or blank (Identity.RequiredSources).");
        host.Emulator.ApiCallsUsed.Should().Be(0);
    }

    [Theory]
    [InlineData("ada at example.com")]
    [InlineData("ada@example")]
    [InlineData("ada @example.com")]
    [InlineData("@example.com")]
    public async Task MalformedEmail_IsSkipped_NoCall(string email)
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(email: email));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Be("The visitor's email address is malformed as written (it is never corrected, for example by removing control characters); nothing was written.");
        result.ApiCalls.Should().Be(0);
        host.Emulator.ApiCallsUsed.Should().Be(0);
    }

    // Issue 11 item 6: the lookup missed the existing Contact while the write stripped the NUL, creating a duplicate.
    [Theory]
    [InlineData("victim@example.com\0")]
    [InlineData("victim@example.com\u0001")]
    [InlineData("victim@example.com\n")]
    public async Task EmailWithControlCharacters_IsSkipped_AndNoDuplicateOfTheExistingContactIsCreated(string email)
    {
        await using var host = EmulatorHost.Create(seed: e => e.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Victim", ["Email"] = "victim@example.com" }));

        var single = await host.Exporter.ExportAsync(Chats.New(id: "chat-single", email: email));
        var batch = await host.Exporter.ExportManyAsync(new[] { Chats.New(id: "chat-batch", email: email), Chats.New(id: "chat-ok", email: "ada@example.com") }).ToListAsync();

        single.Status.Should().Be(ExportStatus.Skipped);
        single.SkipReason.Should().Contain("malformed as written").And.NotContain("victim");
        batch[0].Status.Should().Be(ExportStatus.Skipped);
        batch[0].SkipReason.Should().Be(single.SkipReason);
        batch[1].Status.Should().Be(ExportStatus.Exported);
        host.Emulator.Records("Contact").Should().HaveCount(2, "the existing victim Contact and Ada; no second victim Contact")
            .And.ContainSingle(c => string.Equals((string?)c["Email"], "victim@example.com", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task NamesThatAreOnlyWhitespace_AreMissing_IsSkipped_NoCall()
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(visitor: new ChatVisitor { FirstName = "  ", LastName = " \t ", Name = "   ", Email = "ada@example.com" }));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("visitor.lastName");
        host.Emulator.ApiCallsUsed.Should().Be(0);
    }

    [Fact]
    public async Task OneWordName_BecomesTheLastName()
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(name: "  Cher "));

        var contact = host.Emulator.Get("Contact", result.Person!.Id);
        contact.Text("LastName").Should().Be("Cher");
        contact.Text("FirstName").Should().BeNull();
    }

    [Fact]
    public async Task HundredKilobyteCustomValues_AreCutToTheFieldLength_WithWarningsWithoutTheValue()
    {
        await using var host = Host(o =>
        {
            o.FieldMappings.Add(new FieldMapping { Source = "custom:interest", Target = "Contact.Interest__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:remarks", Target = "Contact.Remarks__c" });
        });
        var huge = string.Concat(Enumerable.Repeat("0123456789", 10_240));

        var result = await host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?> { ["interest"] = huge, ["remarks"] = "R" + huge }));

        result.Status.Should().Be(ExportStatus.Exported);
        var contact = host.Emulator.Get("Contact", result.Person!.Id);
        contact.Text("Interest__c").Should().Be(huge[..255]);
        contact.Text("Remarks__c").Should().Be(("R" + huge)[..1000]);
        result.Warnings.Should().Contain("Contact.Interest__c: the value was cut to the field length (255 characters).");
        result.Warnings.Should().Contain("Contact.Remarks__c: the value was cut to the field length (1000 characters).");
        result.Warnings.Should().NotContain(w => w.Contains("0123456789", StringComparison.Ordinal));
        host.Emulator.Get("Task", result.Activity!.Id).Text("Description")!.Length.Should().BeLessThanOrEqualTo(32_000);
    }

    [Fact]
    public async Task ControlCharacters_AreStripped_FromMappedValuesNamesAndTheTranscript()
    {
        await using var host = Host(o => o.FieldMappings.Add(new FieldMapping { Source = "custom:interest", Target = "Contact.Interest__c" }));
        var chat = Chats.New(visitor: new ChatVisitor { FirstName = "A\u0000da", LastName = "Love\u0007lace", Email = "ada@example.com" },
            custom: new Dictionary<string, string?> { ["interest"] = "Wid\u0001gets\uFFFF\tand\u001Fmore" });
        var withControl = new Conversation
        {
            Id = chat.Id, Channel = chat.Channel, StartedAt = chat.StartedAt, Visitor = chat.Visitor, CustomFields = chat.CustomFields,
            Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello\u0008 there\u000B!\r\nLine two", SentAt = chat.StartedAt }],
        };

        var result = await host.Exporter.ExportAsync(withControl);

        result.Status.Should().Be(ExportStatus.Exported);
        var contact = host.Emulator.Get("Contact", result.Person!.Id);
        contact.Text("FirstName").Should().Be("Ada");
        contact.Text("LastName").Should().Be("Lovelace");
        contact.Text("Interest__c").Should().Be("Widgets\tandmore");
        var description = host.Emulator.Get("Task", result.Activity!.Id).Text("Description")!;
        description.Should().Contain("Hello there!").And.Contain("Line two");
        description.Should().NotContain("\u0008").And.NotContain("\u000B").And.NotContain("\u0001");
        host.Emulator.RequestLog.Should().OnlyContain(r => r.StatusCode < 400);
    }

    [Fact]
    public async Task UnknownCustomKeyInAMapping_MapsNothing_AndExports()
    {
        await using var host = Host(o => o.FieldMappings.Add(new FieldMapping { Source = "custom:No Such Key", Target = "Contact.Interest__c" }));

        var result = await host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?> { ["Other"] = "x" }));

        result.Status.Should().Be(ExportStatus.Exported);
        host.Emulator.Get("Contact", result.Person!.Id).Text("Interest__c").Should().BeNull();
        result.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task MappingToAFieldThatDoesNotExist_ThrowsNamingTheMappingAndField_AndWritesNothing()
    {
        await using var host = Host(o =>
        {
            o.FieldMappings.Add(new FieldMapping { Source = "custom:interest", Target = "Contact.Interest__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:interest", Target = "Contact.No_Such_Field__c" });
        });

        var act = () => host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?> { ["interest"] = "x" }));

        var error = (await act.Should().ThrowAsync<ExportConfigurationException>()).Which;
        error.Setting.Should().Be("FieldMappings[1].Target");
        error.Message.Should().Contain("Contact.No_Such_Field__c");
        host.Emulator.Records("Contact").Should().BeEmpty();
        host.Emulator.Records("Task").Should().BeEmpty();
        host.Emulator.RequestLog.Should().NotContain(r => r.Subrequests.Any(s => s.Method == "POST" || s.Method == "PATCH"));
    }

    [Fact]
    public async Task MappingToAnObjectTheModeDoesNotWrite_Throws_AndWritesNothing()
    {
        await using var host = Host(o => o.FieldMappings.Add(new FieldMapping { Value = "x", Target = "Account.Name" }));

        var act = () => host.Exporter.ExportAsync(Chats.New());

        (await act.Should().ThrowAsync<ExportConfigurationException>()).Which.Message.Should().Contain("Account");
        host.Emulator.Records("Contact").Should().BeEmpty();
        host.Emulator.Records("Task").Should().BeEmpty();
    }

    // Regression: a mapping to a missing field was only reported as a configuration error when the conversation had a
    // value for it; otherwise the identity query (which selects every mapped field) failed with a bare INVALID_FIELD.
    [Theory]
    [InlineData("Contact.No_Such_Field__c")]
    [InlineData("Task.No_Such_Field__c")]
    public async Task MappingToAFieldThatDoesNotExist_ConversationWithoutAValueForIt_StillThrowsTheConfigurationError(string target)
    {
        await using var host = Host(o => o.FieldMappings.Add(new FieldMapping { Source = "custom:interest", Target = target }));

        var act = () => host.Exporter.ExportAsync(Chats.New());

        var error = (await act.Should().ThrowAsync<ExportConfigurationException>()).Which;
        error.Setting.Should().Be("FieldMappings[0].Target");
        error.Message.Should().Contain(target);
        host.Emulator.Records("Contact").Should().BeEmpty();
        host.Emulator.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task MappingToAFieldThatDoesNotExist_InABatch_IsAFailedItem_AndWritesNothing()
    {
        await using var host = Host(o => o.FieldMappings.Add(new FieldMapping { Source = "custom:interest", Target = "Contact.No_Such_Field__c" }));
        var chats = new[] { Chats.New(id: "a"), Chats.New(id: "b", email: "bob@example.com") };

        var results = new List<ConversationExportResult>();
        await foreach (var result in host.Exporter.ExportManyAsync(chats))
        {
            results.Add(result);
        }

        results.Should().HaveCount(2).And.OnlyContain(r => r.Status == ExportStatus.Failed && r.Error is ExportConfigurationException);
        host.Emulator.Records("Contact").Should().BeEmpty();
        host.Emulator.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task OverlongLastName_IsCutToTheFieldLength_WithWarning_AndTheContactIsCreated()
    {
        await using var host = Host();
        var last = new string('L', 70) + "😀" + new string('m', 40);

        var result = await host.Exporter.ExportAsync(Chats.New(visitor: new ChatVisitor { FirstName = "Ada", LastName = last, Email = "ada@example.com" }));

        result.Status.Should().Be(ExportStatus.Exported);
        var stored = host.Emulator.Get("Contact", result.Person!.Id).Text("LastName")!;
        stored.Length.Should().BeLessThanOrEqualTo(80);
        last.Should().StartWith(stored);
        result.Warnings.Should().Contain(w => w.StartsWith("Contact.LastName", StringComparison.Ordinal));
    }
}
