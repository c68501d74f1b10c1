using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using ChatToSalesforce;
using ChatToSalesforce.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.DependencyInjection.Internal;

/// <summary>Binds <see cref="SalesforceChatExportOptions"/> from a configuration section.</summary>
/// <remarks>
/// Lists given in configuration replace the defaults instead of being appended to them (the configuration binder's
/// default), and unknown keys are errors, so a typo fails at start-up with the key named. Before binding, every key is
/// checked against the options' settings so the errors speak the configuration's terms: an unknown key names the nearest
/// known one ("did you mean 'Mode'?"), a bad enum value lists the valid values, a bad number, flag, duration or URL says
/// what is expected; never a .NET type name.
/// </remarks>
internal sealed class SectionOptionsBinder(IConfiguration section) : IConfigureOptions<SalesforceChatExportOptions>
{
    public void Configure(SalesforceChatExportOptions options)
    {
        if (section is IConfigurationSection s && !s.Exists())
        {
            throw new OptionsValidationException(
                nameof(SalesforceChatExportOptions),
                typeof(SalesforceChatExportOptions),
                [$"The configuration section '{s.Path}' is empty or missing. Add it (InstanceUrl, Authentication, ...) or configure the options in code."]);
        }

        if (Has("ProtectedFields"))
        {
            options.ProtectedFields = [];
        }

        if (Has("OwnerStrategies"))
        {
            options.OwnerStrategies = [];
        }

        if (Has("Identity:Rules"))
        {
            options.Identity.Rules = [];
        }

        if (Has("Identity:RequiredSources"))
        {
            options.Identity.RequiredSources = [];
        }

        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            CheckSetting(child, typeof(SalesforceChatExportOptions), prefix: null, problems);
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(SalesforceChatExportOptions), typeof(SalesforceChatExportOptions), problems);
        }

        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(
                nameof(SalesforceChatExportOptions),
                typeof(SalesforceChatExportOptions),
                [BinderProblem(ex.Message)]);
        }
    }

    private bool Has(string key) => section.GetSection(key).Exists();

    // What the binder found that the checks above did not: its message names .NET types, so only the key is kept.
    private static string BinderProblem(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, "at '(?<key>[^']+)'", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m
            ? $"{m.Groups["key"].Value.Replace(':', '.')}: the value cannot be read for this setting; check it against docs/configuration.md."
            : "The Salesforce export configuration cannot be read: check the key names and values against docs/configuration.md.";

    /// <summary>The candidate closest to <paramref name="name"/> (case-insensitive edit distance), if one is close enough to be a typo.</summary>
    /// <param name="name">The unknown name.</param>
    /// <param name="candidates">The known names.</param>
    /// <returns>The nearest known name, or <see langword="null"/>.</returns>
    internal static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // A typo, a missing or doubled letter, a swapped pair: at most a third of the name, and at least 2 edits allowed.
        return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        // Optimal string alignment distance (Levenshtein plus adjacent transpositions).
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    // The options' members are preserved by the DynamicDependency attributes on Configure; the walk only reads their
    // public properties, which is what the binder itself does.
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types are preserved by DynamicDependency on Configure.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types are preserved by DynamicDependency on Configure.")]
    private static void CheckSetting(IConfigurationSection node, Type type, string? prefix, List<string> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.CanWrite || !IsScalar(p.PropertyType)) && !typeof(Delegate).IsAssignableFrom(p.PropertyType))
            .ToList();
        var property = properties.FirstOrDefault(p => string.Equals(p.Name, node.Key, StringComparison.OrdinalIgnoreCase));
        var path = prefix is null ? node.Key : $"{prefix}.{node.Key}";
        if (property is null)
        {
            var known = properties.Select(p => p.Name).ToList();
            problems.Add(Nearest(node.Key, known) is { } nearest
                ? $"{path}: is not a known setting; did you mean '{(prefix is null ? nearest : $"{prefix}.{nearest}")}'?"
                : $"{path}: is not a known setting{(prefix is null ? string.Empty : $" of {prefix}")}; the settings here are {string.Join(", ", known)}.");
            return;
        }

        path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
        CheckValue(node, property.PropertyType, path, problems);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types are preserved by DynamicDependency on Configure.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types are preserved by DynamicDependency on Configure.")]
    private static void CheckValue(IConfigurationSection node, Type type, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            if (node.Value is { Length: > 0 } value && Problem(value, type) is { } problem)
            {
                problems.Add($"{path}: {problem}");
            }

            return;
        }

        var element = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyList<>))
            ? type.GetGenericArguments()[0]
            : null;
        if (node.Value is { Length: > 0 })
        {
            // A single value where a list or a section is expected (for example Salesforce__ProtectedFields=OwnerId): the
            // binder would ignore it, after the list was cleared.
            problems.Add(element is not null
                ? $"{path}: is a list; write it as a JSON array [ ... ] (or keys {path.Replace('.', ':')}:0, :1, ...), not a single value."
                : $"{path}: is a section; write its settings as an object {{ ... }}, not a single value.");
            return;
        }

        foreach (var child in node.GetChildren())
        {
            if (element is not null)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{path}: is a list; write it as a JSON array [ ... ] (found the key '{child.Key}').");
                    return;
                }

                CheckValue(child, element, $"{path}[{child.Key}]", problems);
            }
            else
            {
                CheckSetting(child, type, path, problems);
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    private static string? Problem(string value, Type type)
    {
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            if (names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase)) is not null)
            {
                return null;
            }

            var nearest = Nearest(value, names);
            return $"'{value}' is not a valid value; the valid values are {string.Join(", ", names)}{(nearest is null ? string.Empty : $" (did you mean '{nearest}'?)")}.";
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(value, out _) ? null : $"'{value}' is not a valid value; expected true or false.";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && (type == typeof(long) || (n >= int.MinValue && n <= int.MaxValue))
                ? null
                : $"'{value}' is not a valid value; expected a whole number, for example 4.";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : $"'{value}' is not a valid value; expected a number, for example 0.8.";
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _) ? null : $"'{value}' is not a valid value; expected a duration as [d.]hh:mm:ss, for example 00:00:30 for 30 seconds.";
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _) ? null : "is not a valid URL; expected an absolute https URL, for example https://acme.my.salesforce.com.";
        }

        return null;
    }
}
