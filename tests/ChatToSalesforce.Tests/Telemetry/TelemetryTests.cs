using System.Diagnostics;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Telemetry;
using ChatToSalesforce.Telemetry.Internal;
using ChatToSalesforce.Tests.Export;
using ChatToSalesforce.Tests.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Telemetry;

/// <summary>
/// The SDK's traces and metrics read through OpenTelemetry's own pipeline and in-memory exporter (issue 16 item 4). Tests
/// run in parallel on one static meter, so each test uses its own tenant id and reads only what carries it.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly string _tenant = "tenant-" + Guid.NewGuid().ToString("N")[..8];
    // Test classes run in parallel, and the tracer provider hears every test's spans: other tests end spans on their own
    // threads while this one reads. A plain list threw "Collection was modified" now and then in full runs.
    private readonly LockedCollection<MetricSnapshot> _metrics = new();
    private readonly LockedCollection<Activity> _spans = new();
    private readonly MeterProvider _meterProvider;
    private readonly TracerProvider _tracerProvider;

    public TelemetryTests()
    {
        // Every test's exporter records into the same meter, and test classes run in parallel: without a higher limit, a
        // run whose other tests create many tenants fills OpenTelemetry's 2,000 series per metric and this test's series
        // land in the overflow series (regression: the exports test failed now and then in full runs only).
        _meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter(ChatToSalesforceTelemetry.SourceName)
            .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = 20_000 })
            .AddInMemoryExporter(_metrics).Build()!;
        _tracerProvider = Sdk.CreateTracerProviderBuilder().AddSource(ChatToSalesforceTelemetry.SourceName).AddInMemoryExporter(_spans).Build()!;
    }

    public void Dispose()
    {
        _meterProvider.Dispose();
        _tracerProvider.Dispose();
    }

    [Fact]
    public async Task Exports_are_counted_by_outcome_and_failure_kind_per_tenant()
    {
        // A real store tenant: its own org, client and tenant tag.
        using var host = new ChatToSalesforce.Tests.Tenancy.TenantOrgs(_tenant);
        var org = host[_tenant];
        org.AddValidationRule("Contact", new EmulatorValidationRule { Name = "NoTest", Message = "Test visitors are not allowed", Field = "LastName", Pattern = "^(?!Test$).*" });
        var conversations = new[]
        {
            ForTenant(Conversation("ok", "ok@example.com")),
            ForTenant(Conversation("bad", "bad@example.com", lastName: "Test")),
            ForTenant(Conversation("anonymous", null) is var a ? new Conversation { Id = a.Id, StartedAt = a.StartedAt, TenantId = _tenant } : null!),
        };

        await host.Exporter.ExportManyAsync(conversations).ToListAsync();
        _meterProvider.ForceFlush();

        var exports = Points(ChatToSalesforceTelemetry.ExportsMetric);
        exports.Should().BeEquivalentTo(new[]
        {
            (Tags("chat_to_salesforce.outcome=exported"), 1L),
            (Tags("chat_to_salesforce.outcome=failed", "chat_to_salesforce.failure_kind=rejected_data"), 1L),
            (Tags("chat_to_salesforce.outcome=skipped"), 1L),
        });
        var requests = Points(ChatToSalesforceTelemetry.ApiRequestsMetric);
        requests.Sum(r => r.Value).Should().Be(org.ApiCallsUsed, "every API call the org counted is counted once, tagged with the tenant");
        Snapshot(ChatToSalesforceTelemetry.ApiRequestDurationMetric).Unit.Should().Be("s");
        Snapshot(ChatToSalesforceTelemetry.ApiRequestDurationMetric).MetricPoints.Where(Mine).Sum(p => p.GetHistogramCount()).Should().Be(org.ApiCallsUsed);
        Utilization().Should().BeInRange(0, 1).And.BeGreaterThan(0, "the emulator reports its usage on every response");
        AllTagValues().Should().NotContain(v => v.Contains('@') || v.Contains("Vera", StringComparison.Ordinal) || v.Contains("spring intake", StringComparison.Ordinal));
    }

    [Fact]
    public async Task This_tests_series_are_kept_when_other_tenants_recorded_thousands_of_series_first()
    {
        // What tests running alongside do in a full run: requests of many other tenants, recorded into the same meter.
        for (var i = 0; i < 2_500; i++)
        {
            ChatToSalesforceDiagnostics.RecordRequest($"other-{_tenant}-{i}", "Composite", 200, TimeSpan.FromMilliseconds(1));
        }

        using var host = new ChatToSalesforce.Tests.Tenancy.TenantOrgs(_tenant);
        var org = host[_tenant];

        await host.Exporter.ExportManyAsync([ForTenant(Conversation("ok", "ok@example.com"))]).ToListAsync();
        _meterProvider.ForceFlush();

        Points(ChatToSalesforceTelemetry.ExportsMetric).Should().Equal((Tags("chat_to_salesforce.outcome=exported"), 1L));
        Points(ChatToSalesforceTelemetry.ApiRequestsMetric).Sum(r => r.Value).Should().Be(org.ApiCallsUsed);
    }

    [Fact]
    public async Task The_exported_spans_can_be_read_while_other_exports_end_spans()
    {
        using var source = new ActivitySource(ChatToSalesforceTelemetry.SourceName);
        var others = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                using var span = source.StartActivity("ChatToSalesforce.Export");
                span?.SetTag(ChatToSalesforceTelemetry.TenantTag, "someone-else");
            }
        })).ToArray();

        // Reads while the other threads add (a plain list threw "Collection was modified" here).
        while (!others.All(t => t.IsCompleted))
        {
            AllTagValues().Should().NotContain(v => v.Contains('@'));
        }

        await Task.WhenAll(others);
        _spans.Count(s => Equals(s.GetTagItem(ChatToSalesforceTelemetry.TenantTag), "someone-else")).Should().Be(10_000);
    }

    [Fact]
    public async Task A_failed_single_export_span_carries_the_tenant_and_failure_kind()
    {
        using var host = new ChatToSalesforce.Tests.Tenancy.TenantOrgs();
        var org = host.Add(_tenant);
        host.Store.Set(_tenant, ChatToSalesforce.Tests.Tenancy.TenantOrgs.Settings(org, o => o.Resilience.MaxRetryAttempts = 0));
        org.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE", Times = 10 });

        var act = () => host.Exporter.ExportAsync(ForTenant(Conversation("c1", "vera@example.com")));

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.FailureKind.Should().Be(ExportFailureKind.RetryLater);
        var export = _spans.Should().ContainSingle(s => s.OperationName == "ChatToSalesforce.Export" && Equals(s.GetTagItem(ChatToSalesforceTelemetry.TenantTag), _tenant)).Subject;
        export.Status.Should().Be(ActivityStatusCode.Error);
        export.GetTagItem("chat_to_salesforce.failure_kind").Should().Be("retry_later");
        _spans.Where(s => s.OperationName == "ChatToSalesforce.Salesforce.Request" && s.ParentSpanId == export.SpanId)
            .Should().NotBeEmpty().And.OnlyContain(s => Equals(s.GetTagItem(ChatToSalesforceTelemetry.TenantTag), _tenant));
    }

    [Fact]
    public async Task Token_requests_and_API_latency_are_recorded_per_tenant()
    {
        var h = TransportHarness.Create();
        h.Client.TenantId = _tenant;
        var failing = TransportHarness.Create();
        failing.Client.TenantId = _tenant;
        failing.Token = (_, _) => throw new HttpRequestException("connection refused");

        await h.Client.GetLimitsAsync();
        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => failing.Client.GetLimitsAsync());
        _meterProvider.ForceFlush();

        var tokens = Points(ChatToSalesforceTelemetry.TokenRequestsMetric);
        tokens.Should().HaveCount(2);
        tokens.Should().Contain((Tags("chat_to_salesforce.auth_flow=ClientCredentials", "http.response.status_code=200"), 1L));
        tokens.Should().Contain(t => t.Tags == Tags("chat_to_salesforce.auth_flow=ClientCredentials", "error.type=HttpRequestException") && t.Value == failing.Authenticator.TokenRequestCount);
        Points(ChatToSalesforceTelemetry.ApiRequestsMetric).Should().Equal((Tags("salesforce.operation=Limits", "http.response.status_code=200"), 1L));
        var latency = Snapshot(ChatToSalesforceTelemetry.ApiRequestDurationMetric).MetricPoints.Single(Mine);
        latency.GetHistogramCount().Should().Be(1);
        AllTagValues().Should().NotContain(v => v.Contains("tok-", StringComparison.Ordinal) || v.Contains(TransportHarness.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public void Reconnect_required_tenants_are_a_gauge_fed_by_the_internal_hook()
    {
        ChatToSalesforceDiagnostics.MarkReconnectRequired(_tenant);
        ChatToSalesforceDiagnostics.MarkReconnectRequired(_tenant); // idempotent
        _meterProvider.ForceFlush();
        var marked = Snapshot(ChatToSalesforceTelemetry.ReconnectRequiredMetric).MetricPoints.Where(Mine).ToList();

        ChatToSalesforceDiagnostics.ClearReconnectRequired(_tenant);
        _metrics.Clear();
        _meterProvider.ForceFlush();

        marked.Should().ContainSingle().Which.GetGaugeLastValueLong().Should().Be(1);
        _metrics.Where(m => m.Name == ChatToSalesforceTelemetry.ReconnectRequiredMetric).SelectMany(m => m.MetricPoints).Where(Mine).Should().BeEmpty();
    }

    private Conversation ForTenant(Conversation c) => new()
    {
        Id = c.Id, TenantId = _tenant, Channel = c.Channel, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Visitor = c.Visitor, Agent = c.Agent, Messages = c.Messages,
    };

    private MetricSnapshot Snapshot(string name) => _metrics.Last(m => m.Name == name);

    private bool Mine(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == ChatToSalesforceTelemetry.TenantTag && Equals(tag.Value, _tenant))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>This test's points of a counter: their tags (without the tenant) and values.</summary>
    private List<(string Tags, long Value)> Points(string name) =>
        Snapshot(name).MetricPoints.Where(Mine)
            .Select(p => (Tags(p.Tags.ToArray().Where(t => t.Key != ChatToSalesforceTelemetry.TenantTag).Select(t => $"{t.Key}={t.Value}").ToArray()), p.GetSumLong()))
            .ToList();

    private double Utilization() =>
        Snapshot(ChatToSalesforceTelemetry.ApiUtilizationMetric).MetricPoints.Where(Mine).Single().GetGaugeLastValueDouble();

    private IEnumerable<string> AllTagValues() =>
        _metrics.SelectMany(m => m.MetricPoints).SelectMany(p => p.Tags.ToArray()).Select(t => t.Value?.ToString() ?? string.Empty)
            .Concat(_spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? string.Empty));

    private static string Tags(params string[] tags) => string.Join(", ", tags.Order(StringComparer.Ordinal));
}

/// <summary>What the in-memory exporters write into: adds, and reads of a snapshot, under one lock.</summary>
internal sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_items)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator()
    {
        T[] snapshot;
        lock (_items)
        {
            snapshot = [.. _items];
        }

        return ((IEnumerable<T>)snapshot).GetEnumerator();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

internal static class TagCollectionExtensions
{
    public static KeyValuePair<string, object?>[] ToArray(this ReadOnlyTagCollection tags)
    {
        var list = new List<KeyValuePair<string, object?>>();
        foreach (var tag in tags)
        {
            list.Add(tag);
        }

        return [.. list];
    }
}
