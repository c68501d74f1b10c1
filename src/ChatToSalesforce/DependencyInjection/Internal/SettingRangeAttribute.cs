using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ChatToSalesforce.DependencyInjection.Internal;

/// <summary>
/// A range rule on a setting, with the message the user reads (what is wrong and what to do). <see cref="RangeAttribute"/>
/// is not used because the options source generator replaces it with a copy that ignores <c>ErrorMessage</c> and prints
/// .NET type names; this attribute is emitted as it is, and reads time spans without a <c>TypeConverter</c> (trim-safe).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SettingRangeAttribute : ValidationAttribute
{
    private readonly double _minimum;
    private readonly double _maximum;
    private readonly TimeSpan? _minimumTime;
    private readonly TimeSpan? _maximumTime;

    /// <summary>A numeric range, both ends included unless <see cref="MinimumIsExclusive"/>.</summary>
    public SettingRangeAttribute(double minimum, double maximum, string message)
        : base(message)
    {
        _minimum = minimum;
        _maximum = maximum;
    }

    /// <summary>A time range (<c>hh:mm:ss</c>, invariant); <see langword="null"/> leaves that end open.</summary>
    public SettingRangeAttribute(string? minimumTime, string? maximumTime, string message)
        : base(message)
    {
        _minimumTime = minimumTime is null ? null : TimeSpan.Parse(minimumTime, CultureInfo.InvariantCulture);
        _maximumTime = maximumTime is null ? null : TimeSpan.Parse(maximumTime, CultureInfo.InvariantCulture);
    }

    /// <summary>Gets or sets whether the minimum itself is out of range.</summary>
    public bool MinimumIsExclusive { get; set; }

    /// <inheritdoc />
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan t => (_minimumTime is not { } min || (MinimumIsExclusive ? t > min : t >= min)) && (_maximumTime is not { } max || t <= max),
        int i => InRange(i),
        long l => InRange(l),
        double d => !double.IsNaN(d) && InRange(d),
        _ => false,
    };

    /// <inheritdoc />
    public override string FormatErrorMessage(string name) => ErrorMessageString;

    private bool InRange(double value) => (MinimumIsExclusive ? value > _minimum : value >= _minimum) && value <= _maximum;
}
