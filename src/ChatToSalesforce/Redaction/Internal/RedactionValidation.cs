using System.Text.RegularExpressions;

namespace ChatToSalesforce.Redaction.Internal;

/// <summary>Start-up checks of <see cref="RedactionOptions"/>: a pattern that would fail (or redact everything) is reported by name.</summary>
internal static class RedactionValidation
{
    public static void Validate(RedactionOptions? redaction, List<string> errors)
    {
        if (redaction is null)
        {
            errors.Add("Redaction: must not be null; remove the setting to redact nothing.");
            return;
        }

        if (redaction.Replacement is null)
        {
            errors.Add("Redaction.Replacement: must not be null; use for example \"[redacted]\".");
        }

        for (var i = 0; i < (redaction.Patterns?.Count ?? 0); i++)
        {
            var pattern = redaction.Patterns![i];
            var setting = $"Redaction.Patterns[{i}]";
            if (pattern is null || string.IsNullOrWhiteSpace(pattern.Name))
            {
                errors.Add($"{setting}.Name: is required; name the pattern (for example \"Ticket numbers\") so errors can say which one is meant.");
            }

            var named = pattern is null || string.IsNullOrWhiteSpace(pattern.Name) ? setting : $"{setting} ('{pattern.Name}')";
            if (string.IsNullOrEmpty(pattern?.Pattern))
            {
                errors.Add($"{named}.Pattern: is required; write a regular expression, for example \"TICKET-\\\\d{{6}}\".");
                continue;
            }

            try
            {
                if (TextRedactor.Compile(pattern.Pattern).IsMatch(string.Empty))
                {
                    errors.Add($"{named}.Pattern: matches empty text, so it would redact between every character; make it match at least one character (use + rather than *).");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{named}.Pattern: is not a valid regular expression ({ex.Message.TrimEnd('.')}); fix it or remove the pattern.");
            }
        }
    }
}
