using ChatToSalesforce.Erasure;
using ChatToSalesforce.Redaction.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Tenancy;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Regression tests for bugs found in a review of redaction, erasure and joining a new person.</summary>
public sealed class RedactionErasureJoinRegressionTests
{
    private static string Redact(string text, Action<RedactionOptions> configure)
    {
        var options = new RedactionOptions();
        configure(options);
        var count = 0;
        return TextRedactor.For(options).Redact(text, ref count)!;
    }

    // A card number followed by its CVV, an expiry written as digits, or preceded by a short number: the candidate regex
    // swallows the neighbouring digits, the whole run fails the Luhn check, and the card number goes out in clear.
    [Theory]
    [InlineData("my card is 4111 1111 1111 1111 737")]       // card + CVV
    [InlineData("card 4111111111111111 12 28 thanks")]        // card + expiry month
    [InlineData("item 06 4111 1111 1111 1111")]               // a short number before it
    public void Card_number_next_to_other_digits_is_redacted(string text)
    {
        var redacted = Redact(text, o => o.PaymentCards = true);

        redacted.Replace(" ", string.Empty, StringComparison.Ordinal).Should().NotContain("4111111111111111");
    }

    // An IBAN whose account part is a whole number of groups of four (Spain, Austria, Belgium, Poland, Sweden, ...) followed by
    // a short capitalised word or number: the optional tail group swallows it, the mod-97 check fails, the IBAN goes out.
    [Theory]
    [InlineData("My IBAN: ES91 2100 0418 4502 0005 1332 BIC CAIXESBBXXX", "ES91")]
    [InlineData("pay to BE68 5390 0754 7034 OK?", "BE68")]
    [InlineData("AT611904300234573201 EUR please", "AT61")]
    public void Iban_followed_by_a_short_word_is_redacted(string text, string countryAndCheck)
    {
        Redact(text, o => o.Ibans = true).Should().NotContain(countryAndCheck);
    }

    // ErasureMode.Anonymize promises to replace "the activities' description and subject (the marker stays)"; the default
    // subject is "Chat with {visitor} – {channel}", so the visitor's name stays on every anonymised activity.
    [Fact]
    public async Task Anonymize_removes_the_visitors_name_from_the_activity_subject()
    {
        using var orgs = new TenantOrgs("acme");
        var exported = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "c1", "cy@example.com", lastName: "Quimby"));
        orgs["acme"].Find("Task", exported.Activity!.Id)!.Text("Subject").Should().Contain("Quimby", "precondition: the default subject names the visitor");

        await orgs.Services.GetRequiredService<IConversationEraser>().EraseAsync(new ErasureRequest { TenantId = "acme", Email = "cy@example.com", IncludePerson = true, Mode = ErasureMode.Anonymize });

        var subject = orgs["acme"].Find("Task", exported.Activity!.Id)!.Text("Subject");
        subject.Should().NotContain("Quimby").And.NotContain("Ada");
        subject.Should().EndWith("[chat c1]", "the marker stays so a second run finds the activity");
    }

    // Same for a Case (ContactAndCase): SuppliedEmail / SuppliedName / SuppliedPhone written by the transcript writer stay.
    [Fact]
    public async Task Anonymize_clears_the_supplied_contact_details_of_a_case()
    {
        using var orgs = new TenantOrgs();
        var org = orgs.Add("acme");
        orgs.Store.Set("acme", TenantOrgs.Settings(org, o => o.Mode = ExportMode.ContactAndCase));
        var exported = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "c1", "cy@example.com", lastName: "Quimby"));
        org.Find("Case", exported.Activity!.Id)!.Text("SuppliedEmail").Should().Be("cy@example.com", "precondition");

        await orgs.Services.GetRequiredService<IConversationEraser>().EraseAsync(new ErasureRequest { TenantId = "acme", Email = "cy@example.com", IncludePerson = true, Mode = ErasureMode.Anonymize });

        var erasedCase = org.Find("Case", exported.Activity!.Id)!;
        erasedCase.Text("SuppliedEmail").Should().BeNull();
        erasedCase.Text("SuppliedName").Should().BeNull();
    }

    // Two conversations of one new visitor in one batch: the first creates the Contact, the second waits for that write and
    // links to it. When the answer to the first write is lost (the request reached Salesforce and was committed, the
    // connection dropped before the answer), the waiting conversation is told "no person was created" and creates a second
    // Contact with the same email, although the design says a write whose outcome is unknown is never followed by a blind create.
    [Fact]
    public async Task A_lost_write_answer_does_not_make_the_joining_conversation_create_a_second_person()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, decorate: inner => new LoseFirstWriteAnswer(inner));

        var results = await host.Exporter.ExportManyAsync([PipelineHost.Conversation("c1", "new.visitor@example.com"), PipelineHost.Conversation("c2", "new.visitor@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Failed, "precondition: the first write's answer was lost");
        org.Records("Contact").Where(c => c.Text("Email") == "new.visitor@example.com").Should().HaveCount(1, "one visitor is one person");
    }

    private sealed class LoseFirstWriteAnswer(ISalesforceClient inner) : ClientDecorator(inner)
    {
        private int _writes;

        public override async Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default)
        {
            var result = await Inner.WriteAsync(units, cancellationToken);
            if (Interlocked.Increment(ref _writes) == 1)
            {
                throw new SalesforceApiException(0, "NETWORK_ERROR", "The connection dropped after the request was sent.", isTransient: true);
            }

            return result;
        }
    }
}
