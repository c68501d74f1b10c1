using System.Globalization;
using ChatToSalesforce.Telemetry.Internal;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Tracks <c>Sforce-Limit-Info</c>, enforces <see cref="SalesforceChatExportOptions.ApiBudget"/> and the daily request-limit circuit.</summary>
/// <remarks>
/// Budget: once the last known usage is at or above <c>ApiBudget × limit</c>, requests fail fast with
/// <see cref="SalesforceApiBudgetExceededException"/>. Because usage is only learned from responses, one probe request is let
/// through per <see cref="SalesforceResilienceOptions.RequestLimitBreakDuration"/> to see whether the rolling window has freed calls.
/// Circuit: after Salesforce answers <c>REQUEST_LIMIT_EXCEEDED</c> (TotalRequests), every request fails fast with
/// <see cref="SalesforceApiBudgetExceededException"/> without being sent until the break duration has passed.
/// </remarks>
internal sealed class ApiUsageTracker : ISalesforceApiUsage
{
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<SalesforceChatExportOptions> _options;
    private readonly object _gate = new();
    private SalesforceApiUsageSnapshot? _current;
    private DateTimeOffset _circuitOpenUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _lastBudgetProbe = DateTimeOffset.MinValue;
    private string? _organizationId;
    private long _sent;

    public ApiUsageTracker(TimeProvider time, IOptionsMonitor<SalesforceChatExportOptions> options)
    {
        _time = time;
        _options = options;
    }

    public SalesforceApiUsageSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Gets or sets the tenant whose org this tracks, tagged on the usage metrics (<see langword="null"/>: the tenant configured at start-up).</summary>
    public string? TenantId { get; set; }

    /// <summary>Whether the request-limit circuit is open now.</summary>
    public bool IsCircuitOpen
    {
        get
        {
            lock (_gate)
            {
                return _time.GetUtcNow() < _circuitOpenUntil;
            }
        }
    }

    /// <summary>Sets the org id usage is reported for (from the token's identity URL).</summary>
    public void SetOrganization(string? organizationId)
    {
        if (organizationId is not null)
        {
            _organizationId = organizationId;
        }
    }

    /// <summary>Throws when the request-limit circuit is open (checked before every attempt, retries included).</summary>
    public void EnsureCircuitClosed()
    {
        var now = _time.GetUtcNow();
        var current = Current;
        lock (_gate)
        {
            if (now < _circuitOpenUntil)
            {
                throw new SalesforceApiBudgetExceededException(
                    current?.Used ?? 0,
                    current?.Limit ?? 0,
                    string.Create(CultureInfo.InvariantCulture, $"Salesforce reported the org's daily API allocation exhausted (REQUEST_LIMIT_EXCEEDED); requests fail fast without being sent until {_circuitOpenUntil:u}."))
                {
                    RetryAt = _circuitOpenUntil,
                    RetryAfter = _circuitOpenUntil - now,
                };
            }
        }
    }

    /// <summary>Throws when the circuit is open or the budget is used up; otherwise lets the request go (checked once per call).</summary>
    public void EnsureAllowed()
    {
        EnsureCircuitClosed();
        var now = _time.GetUtcNow();
        var options = _options.CurrentValue;
        var current = Current;
        DateTimeOffset nextProbe;
        lock (_gate)
        {
            if (Budget(options) is not { } budget || current is null || current.Limit <= 0 || current.Used < budget * current.Limit)
            {
                return;
            }

            // Over budget. Let one probe through per break duration to learn whether the rolling window has freed calls.
            var breakDuration = options.Resilience?.RequestLimitBreakDuration ?? TimeSpan.FromMinutes(15);
            if (now - current.ObservedAt >= breakDuration && now - _lastBudgetProbe >= breakDuration)
            {
                _lastBudgetProbe = now;
                return;
            }

            // The next probe is when the SDK can next learn whether the rolling window has freed calls.
            nextProbe = (current.ObservedAt > _lastBudgetProbe ? current.ObservedAt : _lastBudgetProbe) + breakDuration;
        }

        throw new SalesforceApiBudgetExceededException(
            current.Used,
            current.Limit,
            string.Create(CultureInfo.InvariantCulture, $"The org has used {current.Used} of {current.Limit} daily API requests ({current.Share * 100:0.#}%), at or above the {Describe(SalesforceApiPriority.Current ?? ApiWorkPriority.Live)} budget of {Budget(options) * 100:0.#}%; the request was not sent."))
        {
            RetryAt = nextProbe,
            RetryAfter = nextProbe - now,
        };
    }

    /// <summary>The share at which the current kind of work (<see cref="SalesforceApiPriority.Current"/>, live by default) stops.</summary>
    private static double? Budget(SalesforceChatExportOptions options) =>
        options.ApiBudgets?.For(SalesforceApiPriority.Current ?? ApiWorkPriority.Live) ?? options.ApiBudget;

    private static string Describe(ApiWorkPriority priority) => priority switch
    {
        ApiWorkPriority.Backfill => "backfill (ApiBudgets.Backfill)",
        ApiWorkPriority.Interactive => "interactive (ApiBudgets.Interactive)",
        _ => "live-export (ApiBudgets.Live or ApiBudget)",
    };

    /// <summary>Gets how long the request-limit circuit stays open (and how often an over-budget org is probed).</summary>
    public TimeSpan BreakDuration => _options.CurrentValue.Resilience?.RequestLimitBreakDuration ?? TimeSpan.FromMinutes(15);

    /// <summary>Opens the request-limit circuit for the configured break duration.</summary>
    public DateTimeOffset OpenCircuit()
    {
        var duration = BreakDuration;
        lock (_gate)
        {
            _circuitOpenUntil = _time.GetUtcNow() + duration;
            return _circuitOpenUntil;
        }
    }

    /// <summary>Reads the <c>Sforce-Limit-Info</c> header value of a response.</summary>
    public void Observe(string? limitInfo)
    {
        if (Parse(limitInfo, _time.GetUtcNow()) is not { } snapshot)
        {
            return;
        }

        snapshot = snapshot with { OrganizationId = _organizationId, SentByThisProcess = Interlocked.Increment(ref _sent) };
        Volatile.Write(ref _current, snapshot);
        ChatToSalesforceDiagnostics.RecordUsage(TenantId, _organizationId ?? "unknown", snapshot);
    }

    /// <summary>Parses <c>api-usage=N/M</c>, optionally with <c>; api-bursts=N/M</c> and <c>; per-app-api-usage=N/M(appName=x)</c>.</summary>
    public static SalesforceApiUsageSnapshot? Parse(string? header, DateTimeOffset observedAt)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        (long Used, long Limit)? usage = null;
        (long Used, long Limit)? app = null;
        string? appName = null;
        foreach (var part in header.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (key.Equals("api-usage", StringComparison.OrdinalIgnoreCase))
            {
                usage = Fraction(value) ?? usage;
            }
            else if (key.Equals("per-app-api-usage", StringComparison.OrdinalIgnoreCase))
            {
                var paren = value.IndexOf('(', StringComparison.Ordinal);
                app = Fraction(paren >= 0 ? value[..paren] : value);
                if (paren >= 0 && value.IndexOf("appName=", paren, StringComparison.OrdinalIgnoreCase) is var n and >= 0)
                {
                    appName = value[(n + "appName=".Length)..].TrimEnd(')');
                }
            }
        }

        if (usage is not { } u)
        {
            return null;
        }

        return new SalesforceApiUsageSnapshot(u.Used, u.Limit, observedAt) { AppUsed = app?.Used, AppLimit = app?.Limit, AppName = appName };

        static (long, long)? Fraction(string value)
        {
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            return slash > 0
                   && long.TryParse(value.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                   && long.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                ? (used, limit)
                : null;
        }
    }
}
