using System.Collections.Concurrent;
using System.Reflection;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Redaction.Internal;
using ChatToSalesforce.Tests.Export;
using ChatToSalesforce.Tests.Infrastructure;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Redaction;

/// <summary>Redaction before export (issue 16 item 5): what is redacted, what is kept, start-up checks, and the org never sees it.</summary>
public sealed class RedactionTests
{
    private static string Redact(string text, Action<RedactionOptions> configure, out int count)
    {
        var options = new RedactionOptions();
        configure(options);
        count = 0;
        return TextRedactor.For(options).Redact(text, ref count)!;
    }

    [Theory]
    [InlineData("4111 1111 1111 1111")]   // Visa test number, grouped
    [InlineData("4111-1111-1111-1111")]
    [InlineData("5500005555555559")]      // Mastercard test number
    [InlineData("3782 822463 10005")]     // Amex, 15 digits
    [InlineData("6011000990139424")]      // Discover
    public void Luhn_valid_card_numbers_are_redacted(string card)
    {
        var redacted = Redact($"my card is {card}, expiry 12/29", o => o.PaymentCards = true, out var count);

        redacted.Should().Be("my card is [redacted], expiry 12/29");
        count.Should().Be(1);
    }

    [Theory]
    [InlineData("4111 1111 1111 1112")]   // fails the Luhn check
    [InlineData("+44 20 7946 0958")]      // a phone number
    [InlineData("order 1234567890123")]   // 13 digits, not Luhn-valid
    [InlineData("12345678901")]           // too short for a card
    [InlineData("4111111111111111111111")] // 22 digits: not a card number
    public void Digit_runs_that_are_not_card_numbers_are_kept(string text)
    {
        Redact(text, o => o.PaymentCards = true, out var count).Should().Be(text);
        count.Should().Be(0);
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL91ABNA0417164300")]
    public void Ibans_with_a_valid_check_are_redacted(string iban)
    {
        Redact($"pay to {iban} please", o => o.Ibans = true, out var count).Should().Be("pay to [redacted] please");
        count.Should().Be(1);
    }

    [Theory]
    [InlineData("pay to DE00 3704 0044 0532 0130 00 please")] // wrong check digits
    [InlineData("ref AB12CDEF34567890")]                      // IBAN-shaped, fails mod-97
    public void Iban_shapes_failing_the_check_are_kept(string text)
    {
        Redact(text, o => o.Ibans = true, out var count).Should().Be(text);
        count.Should().Be(0);
    }

    [Fact]
    public void National_id_shapes_are_redacted_and_impossible_ones_kept()
    {
        Redact("SSN 123-45-6789 and NI AB 12 34 56 C", o => o.NationalIds = true, out var count).Should().Be("SSN [redacted] and NI [redacted]");
        count.Should().Be(2);
        Redact("000-12-3456 and 666-12-3456", o => o.NationalIds = true, out count).Should().Be("000-12-3456 and 666-12-3456");
        count.Should().Be(0);
    }

    [Fact]
    public void Custom_patterns_and_replacement()
    {
        var redacted = Redact("see TICKET-123456 and TICKET-42", o =>
        {
            o.Patterns.Add(new RedactionPattern { Name = "Tickets", Pattern = @"TICKET-\d{6}" });
            o.Replacement = "***";
        }, out var count);

        redacted.Should().Be("see *** and TICKET-42");
        count.Should().Be(1);
    }

    [Fact]
    public void Nothing_configured_returns_the_same_conversation()
    {
        var conversation = Conversation("c1", "a@example.com");

        ConversationRedactor.Redact(conversation, TestData.Options()).Should().BeSameAs(conversation);
    }

    [Fact]
    public void The_redacted_copy_keeps_every_other_property_and_the_original_is_untouched()
    {
        var original = new Conversation
        {
            Id = "c1", TenantId = "t1", Channel = "web", StartedAt = Start, EndedAt = Start.AddMinutes(3),
            Visitor = new ChatVisitor { FirstName = "Vera", LastName = "Visitor", Email = "v@example.com" },
            Agent = new ChatAgent { Name = "Agent", Email = "agent@acme.test" },
            Messages = [new ChatMessage { Role = ChatRole.Visitor, SenderName = "Vera", Text = "card 4111 1111 1111 1111", SentAt = Start }],
            Attachments = [new ChatAttachment { FileName = "a.txt", Content = new byte[] { 1 } }],
            Notes = "IBAN DE89 3704 0044 0532 0130 00", WrapUp = "done", RequestPage = new Uri("https://acme.test/pricing"),
            CustomFields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Card"] = "5500005555555559", ["Plan"] = "gold" },
        };
        var options = TestData.Options(o => o.Redaction = new RedactionOptions { PaymentCards = true, Ibans = true });

        var copy = ConversationRedactor.Redact(original, options);

        copy.RedactedValues.Should().Be(3);
        copy.Messages[0].Text.Should().Be("card [redacted]");
        copy.Notes.Should().Be("IBAN [redacted]");
        copy.CustomFields["card"].Should().Be("[redacted]", "the host's case-insensitive lookup is kept");
        copy.CustomFields["Plan"].Should().Be("gold");
        original.Messages[0].Text.Should().Be("card 4111 1111 1111 1111");
        original.Notes.Should().StartWith("IBAN DE89");
        var redactedProperties = new[] { nameof(Conversation.Messages), nameof(Conversation.Notes), nameof(Conversation.CustomFields) };
        foreach (var property in typeof(Conversation).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => !redactedProperties.Contains(p.Name)))
        {
            property.GetValue(copy).Should().Be(property.GetValue(original), $"the redacted copy must carry {property.Name} (a new Conversation property must be copied by ConversationRedactor)");
        }
    }

    [Fact]
    public void The_transcript_says_how_many_values_were_redacted_never_what()
    {
        var options = TestData.Options(o => o.Redaction.PaymentCards = true);
        var conversation = Conversation("c1", "a@example.com") is var c
            ? new Conversation { Id = c.Id, StartedAt = c.StartedAt, Visitor = c.Visitor, Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "4111 1111 1111 1111 and 5500 0055 5555 5559", SentAt = Start }] }
            : null!;

        var transcript = new ChatToSalesforce.Transcripts.Internal.PlainTextTranscriptFormatter().Format(ConversationRedactor.Redact(conversation, options));

        transcript.Should().Contain("Redaction: 2 values were redacted before export");
        transcript.Should().Contain("Visitor: [redacted] and [redacted]").And.NotContain("4111").And.NotContain("5559");
    }

    [Theory]
    [InlineData("(unclosed", "Redaction.Patterns[0] ('Broken').Pattern: is not a valid regular expression")]
    [InlineData("a*", "Redaction.Patterns[0] ('Broken').Pattern: matches empty text")]
    [InlineData("", "Redaction.Patterns[0] ('Broken').Pattern: is required")]
    public void A_bad_pattern_fails_validation_naming_it(string pattern, string expected)
    {
        var result = new SalesforceChatExportOptionsValidator().Validate(null, TestData.Options(o => o.Redaction.Patterns.Add(new RedactionPattern { Name = "Broken", Pattern = pattern })));

        result.Failures.Should().ContainSingle(f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_pattern_from_configuration_fails_at_start_up_naming_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:InstanceUrl"] = "https://acme.my.salesforce.com",
            ["Salesforce:Authentication:Flow"] = "AccessToken",
            ["Salesforce:Authentication:AccessToken"] = "token",
            ["Salesforce:Redaction:PaymentCards"] = "true",
            ["Salesforce:Redaction:Patterns:0:Name"] = "Order ids",
            ["Salesforce:Redaction:Patterns:0:Pattern"] = "ORD-[0-9",
        }).Build();
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(configuration.GetSection("Salesforce"));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("Redaction.Patterns[0] ('Order ids').Pattern: is not a valid regular expression (Invalid pattern 'ORD-[0-9' at offset 8. Unterminated [] set); fix it or remove the pattern.");
    }

    [Fact]
    public void A_pattern_that_runs_away_fails_the_conversation_as_a_configuration_problem_without_its_text()
    {
        var options = TestData.Options(o => o.Redaction.Patterns.Add(new RedactionPattern { Name = "Runaway", Pattern = "(a+)+$" }));
        var conversation = new Conversation { Id = "c1", Notes = new string('a', 64) + "!" };

        var ex = Assert.Throws<ExportConfigurationException>(() => ConversationRedactor.Redact(conversation, options));

        ex.Setting.Should().Be("Redaction.Patterns[0] ('Runaway')");
        ex.FailureKind.Should().Be(ExportFailureKind.FixConfiguration);
        ex.Message.Should().NotContain("aaaa").And.Contain("simplify the pattern");
    }

    [Fact]
    public async Task Nothing_redacted_reaches_Salesforce_and_the_task_says_how_much_was_redacted()
    {
        const string Card = "4111 1111 1111 1111";
        const string Iban = "DE89 3704 0044 0532 0130 00";
        const string Ticket = "TICKET-654321";
        using var org = new SalesforceEmulator();
        var bodies = new ConcurrentQueue<string>();
        using var host = EmulatorExport.Create(
            org,
            o =>
            {
                o.Redaction = new RedactionOptions { PaymentCards = true, Ibans = true, Patterns = [new RedactionPattern { Name = "Tickets", Pattern = @"TICKET-\d{6}" }] };
                o.FieldMappings.Add(new FieldMapping { Source = "custom:Reference", Target = "Contact.Description" });
                o.FieldMappings.Add(new FieldMapping { Source = "conversation.notes", Target = "Contact.Department" });
            },
            handler: inner => new RecordingHandler(inner, bodies));
        var conversation = Conversation("c1", "vera@example.com") is var c
            ? new Conversation
            {
                Id = c.Id, Channel = c.Channel, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Visitor = c.Visitor,
                Messages = [.. c.Messages, new ChatMessage { Role = ChatRole.Visitor, Text = $"my card is {Card}", SentAt = Start.AddMinutes(1) }],
                Notes = $"refund to {Iban}",
                CustomFields = new Dictionary<string, string?> { ["Reference"] = Ticket },
            }
            : null!;

        var result = await host.Exporter.ExportAsync(conversation);

        result.Status.Should().Be(ExportStatus.Exported);
        var task = org.Records("Task").Should().ContainSingle().Subject;
        task.Text("Description").Should().Contain("Redaction: 3 values were redacted before export").And.Contain("my card is [redacted]");
        var contact = org.Records("Contact").Should().ContainSingle().Subject;
        contact.Text("Description").Should().Be("[redacted]");
        contact.Text("Department").Should().Be("refund to [redacted]");
        var everything = string.Join('\n', bodies) + string.Join('\n', new[] { "Contact", "Task", "ContentVersion" }.SelectMany(org.Records).Select(r => r.ToJsonString()));
        foreach (var secret in new[] { Card, Card.Replace(" ", ""), Iban, Iban.Replace(" ", ""), Ticket })
        {
            everything.Should().NotContain(secret);
        }
    }

    private sealed class RecordingHandler(HttpMessageHandler inner, ConcurrentQueue<string> bodies) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            bodies.Enqueue(request.RequestUri!.ToString());
            if (request.Content is not null)
            {
                bodies.Enqueue(await request.Content.ReadAsStringAsync(cancellationToken));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
