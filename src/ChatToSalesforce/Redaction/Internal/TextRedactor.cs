using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ChatToSalesforce.Redaction.Internal;

/// <summary>The compiled redaction rules of one <see cref="RedactionOptions"/>: the built-in detectors, then the custom patterns.</summary>
internal sealed partial class TextRedactor
{
    /// <summary>How long one pattern may run on one text before the export fails (a pattern that backtracks without end).</summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<RedactionOptions, TextRedactor> Compiled = [];

    private readonly List<Rule> _rules = [];
    private readonly string _replacement;

    private TextRedactor(RedactionOptions options)
    {
        _replacement = options.Replacement ?? string.Empty;
        if (options.PaymentCards)
        {
            _rules.Add(new Rule("Redaction.PaymentCards", CardCandidate(), IsCardNumber, AnyStart: true));
        }

        if (options.Ibans)
        {
            _rules.Add(new Rule("Redaction.Ibans", IbanCandidate(), IsIban, AnyStart: false));
        }

        if (options.NationalIds)
        {
            _rules.Add(new Rule("Redaction.NationalIds", UsSocialSecurityNumber(), null));
            _rules.Add(new Rule("Redaction.NationalIds", UkNationalInsuranceNumber(), null));
        }

        for (var i = 0; i < options.Patterns.Count; i++)
        {
            var pattern = options.Patterns[i];
            _rules.Add(new Rule($"Redaction.Patterns[{i}] ('{pattern.Name}')", Compile(pattern.Pattern), null));
        }
    }

    /// <summary>The compiled rules of the options (compiled once per options instance).</summary>
    public static TextRedactor For(RedactionOptions options) => Compiled.GetValue(options, static o => new TextRedactor(o));

    /// <summary>Compiles a custom pattern the way it is used (options validation calls this too).</summary>
    public static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Redacts every match of every rule; adds the number of values redacted to <paramref name="count"/>.</summary>
    /// <exception cref="ExportConfigurationException">A pattern ran longer than <see cref="MatchTimeout"/>.</exception>
    public string? Redact(string? text, ref int count)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var rule in _rules)
        {
            var redacted = 0;
            try
            {
                text = rule.Regex.Replace(text, m =>
                {
                    if (rule.Check is not null && !rule.Check(m.Value))
                    {
                        // The candidate may have taken in neighbouring digits or words (a CVV, an expiry, "BIC"): redact the
                        // longest part between separators that passes the check.
                        if (ValidPart(m.Value, rule.Check, rule.AnyStart) is not { } part)
                        {
                            return m.Value;
                        }

                        redacted++;
                        return string.Concat(m.Value.AsSpan(0, part.Start), _replacement, m.Value.AsSpan(part.Start + part.Length));
                    }

                    redacted++;
                    return _replacement;
                });
            }
            catch (RegexMatchTimeoutException)
            {
                // Never the text: only which setting and what to do.
                throw new ExportConfigurationException(rule.Setting, $"took longer than {MatchTimeout.TotalSeconds:0} second on a conversation's text, so the conversation was not exported; simplify the pattern (avoid nested repetition such as (a+)+).");
            }

            count += redacted;
        }

        return text;
    }

    /// <summary>The longest part of a candidate, cut at spaces or dashes, that passes <paramref name="check"/> (from its start only, unless <paramref name="anyStart"/>).</summary>
    private static (int Start, int Length)? ValidPart(string candidate, Func<string, bool> check, bool anyStart)
    {
        var starts = new List<int> { 0 };
        var ends = new List<int> { candidate.Length };
        for (var i = 0; i < candidate.Length; i++)
        {
            if (candidate[i] is ' ' or '-')
            {
                ends.Add(i);
                if (anyStart)
                {
                    starts.Add(i + 1);
                }
            }
        }

        (int Start, int Length)? best = null;
        foreach (var start in starts)
        {
            foreach (var end in ends)
            {
                var length = end - start;
                if (length > 0 && length < candidate.Length && (best is null || length > best.Value.Length) && check(candidate.Substring(start, length)))
                {
                    best = (start, length);
                }
            }
        }

        return best;
    }

    /// <summary>13 to 19 digits, optionally separated by single spaces or dashes, passing the Luhn check.</summary>
    internal static bool IsCardNumber(string candidate)
    {
        Span<int> digits = stackalloc int[19];
        var n = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return false;
                }

                digits[n++] = c - '0';
            }
        }

        if (n < 13)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            var d = digits[n - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    /// <summary>An IBAN (spaces ignored): 15 to 34 characters whose ISO 7064 mod-97 remainder is 1.</summary>
    internal static bool IsIban(string candidate)
    {
        var compact = candidate.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact.Length is < 15 or > 34)
        {
            return false;
        }

        // Move the country code and check digits to the end; letters count as 10..35; remainder computed piecewise.
        var remainder = 0;
        for (var i = 0; i < compact.Length; i++)
        {
            var c = compact[(i + 4) % compact.Length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IbanCandidate();

    [GeneratedRegex(@"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UsSocialSecurityNumber();

    [GeneratedRegex(@"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UkNationalInsuranceNumber();

    private sealed record Rule(string Setting, Regex Regex, Func<string, bool>? Check, bool AnyStart = false);
}
