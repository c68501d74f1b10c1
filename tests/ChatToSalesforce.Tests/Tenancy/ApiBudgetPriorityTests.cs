using ChatToSalesforce.Actions;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatToSalesforce.Tests.Tenancy;

public class ApiBudgetPriorityTests
{
    [Fact]
    public async Task Backfills_stop_first_then_live_exports_while_interactive_work_continues_and_stopped_work_sends_nothing()
    {
        using var orgs = new TenantOrgs("acme");
        var org = orgs["acme"];
        org.DailyApiLimit = 10;
        orgs.Store.Set("acme", TenantOrgs.Settings(org, o => o.ApiBudgets = new ApiBudgetOptions { Backfill = 0.4, Live = 0.8, Interactive = 0.95 }));

        // Two live exports: 4 of 10 calls (each is one read and one write).
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a1@example.com"))).Status.Should().Be(ExportStatus.Exported);
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a2@example.com"))).Status.Should().Be(ExportStatus.Exported);
        org.ApiCallsUsed.Should().Be(4);

        var backfill = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "b1", "b1@example.com")]).ToListAsync();

        backfill[0].Status.Should().Be(ExportStatus.Failed);
        backfill[0].FailureKind.Should().Be(ExportFailureKind.WaitForWindow);
        backfill[0].Error.Should().BeOfType<SalesforceApiBudgetExceededException>().Which.Message.Should().Contain("backfill");
        backfill[0].RetryAfter.Should().NotBeNull();
        org.ApiCallsUsed.Should().Be(4, "paused work costs no API call");

        // Live exports continue to 80%.
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a3", "a3@example.com"))).Status.Should().Be(ExportStatus.Exported);
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a4", "a4@example.com"))).Status.Should().Be(ExportStatus.Exported);
        var live = () => orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a5", "a5@example.com"));
        (await live.Should().ThrowAsync<SalesforceApiBudgetExceededException>()).Which.FailureKind.Should().Be(ExportFailureKind.WaitForWindow);
        org.ApiCallsUsed.Should().Be(8);

        // The agent console's lookup still runs, to 95%.
        var lookup = await orgs.Services.GetRequiredService<IVisitorLookup>().LookupAsync(new VisitorLookupRequest { TenantId = "acme", Email = "a1@example.com" });
        lookup.Match.Should().NotBeNull();
        org.ApiCallsUsed.Should().Be(9);
        var usage = orgs.Services.GetRequiredService<ChatToSalesforce.Salesforce.ISalesforceTenantUsage>().GetUsage("acme");
        usage.Should().BeEquivalentTo(new { Used = 9L, Limit = 10L, SentByThisProcess = 9L }, o => o.ExcludingMissingMembers());
    }

    [Fact]
    public async Task A_push_is_interactive_work_and_goes_on_when_live_exports_have_stopped()
    {
        using var orgs = new TenantOrgs("acme");
        var org = orgs["acme"];
        org.DailyApiLimit = 10;
        orgs.Store.Set("acme", TenantOrgs.Settings(org, o => o.ApiBudgets = new ApiBudgetOptions { Live = 0.2, Interactive = 0.9 }));
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a1@example.com"))).Status.Should().Be(ExportStatus.Exported);
        var live = () => orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a2@example.com"));
        await live.Should().ThrowAsync<SalesforceApiBudgetExceededException>();

        var pushed = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a2@example.com"), new ConversationExportChoices { Mode = ExportMode.LeadAndTask });

        pushed.Status.Should().Be(ExportStatus.Exported);
        org.ApiCallsUsed.Should().Be(4);
    }

    [Fact]
    public async Task A_caller_can_mark_a_batch_as_live()
    {
        using var orgs = new TenantOrgs("acme");
        var org = orgs["acme"];
        org.DailyApiLimit = 10;
        orgs.Store.Set("acme", TenantOrgs.Settings(org, o => o.ApiBudgets = new ApiBudgetOptions { Backfill = 0.1, Live = 0.8 }));
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a1@example.com"))).Status.Should().Be(ExportStatus.Exported);

        List<ConversationExportResult> results;
        using (SalesforceApiPriority.Use(ApiWorkPriority.Live))
        {
            results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "b1", "b1@example.com")]).ToListAsync();
        }

        results[0].Status.Should().Be(ExportStatus.Exported);
        SalesforceApiPriority.Current.Should().BeNull("the scope ended");
    }

    [Fact]
    public void Budgets_out_of_order_or_out_of_range_fail_validation_naming_the_setting()
    {
        var validator = new ChatToSalesforce.DependencyInjection.Internal.SalesforceChatExportOptionsValidator();
        var options = ChatToSalesforce.Tests.Infrastructure.TestData.Options(o => o.ApiBudgets = new ApiBudgetOptions { Backfill = 0.9, Live = 0.5, Interactive = 1.5 });

        var failures = validator.Validate(null, options).Failures;

        failures.Should().Contain(f => f.StartsWith("ApiBudgets.Interactive: must be a share", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Backfill <= Live <= Interactive", StringComparison.Ordinal));
    }
}
