namespace ChatToSalesforce.Testing;

/// <summary>Fault injection: rules that make matching requests fail, and an optional seeded random failure rate.</summary>
public sealed class EmulatorFaults
{
    private readonly object _gate = new();
    private readonly List<(FaultRule Rule, int Remaining)> _rules = [];
    private Random? _random;
    private double _probability;
    private int _randomStatus = 503;
    private string _randomErrorCode = "SERVER_UNAVAILABLE";

    internal EmulatorFaults()
    {
    }

    /// <summary>Adds a rule. Rules are checked in the order they were added; the first match with uses left applies.</summary>
    /// <param name="rule">The rule.</param>
    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Times, 1);
        lock (_gate)
        {
            _rules.Add((rule, rule.Times));
        }
    }

    /// <summary>Makes every API request fail with the given probability, drawn from a generator seeded with <paramref name="seed"/> (reproducible).</summary>
    /// <param name="probability">From 0 (never) to 1 (always).</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="statusCode">The status of injected failures.</param>
    /// <param name="errorCode">The error code of injected failures.</param>
    public void SetFailureRate(double probability, int seed, int statusCode = 503, string errorCode = "SERVER_UNAVAILABLE")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0d);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1d);
        lock (_gate)
        {
            _probability = probability;
            _random = new Random(seed);
            _randomStatus = statusCode;
            _randomErrorCode = errorCode;
        }
    }

    /// <summary>Removes every rule and the random failure rate.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _probability = 0;
            _random = null;
        }
    }

    /// <summary>The number of rule uses left, over all rules.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _rules.Sum(r => r.Remaining);
            }
        }
    }

    /// <summary>The rules with their uses left, and the random failure rate (for the dashboard).</summary>
    internal (IReadOnlyList<(FaultRule Rule, int Remaining)> Rules, double Probability, int Status, string ErrorCode) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _rules], _random is null ? 0 : _probability, _randomStatus, _randomErrorCode);
        }
    }

    internal FaultRule? Take(string method, string pathAndQuery, bool apiRequest)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, remaining) = _rules[i];
                if (rule.Method is not null && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (rule.PathContains is not null && !pathAndQuery.Contains(rule.PathContains, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (remaining <= 1)
                {
                    _rules.RemoveAt(i);
                }
                else
                {
                    _rules[i] = (rule, remaining - 1);
                }

                return rule;
            }

            if (apiRequest && _random is not null && _probability > 0 && _random.NextDouble() < _probability)
            {
                return new FaultRule { StatusCode = _randomStatus, ErrorCode = _randomErrorCode };
            }

            return null;
        }
    }
}
