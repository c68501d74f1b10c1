using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Mapping.Internal;

namespace ChatToSalesforce.Filtering.Internal;

/// <summary>Evaluates <see cref="SalesforceChatExportOptions.Filters"/>: every condition must hold.</summary>
internal sealed class ConditionExportFilter : IExportFilter
{
    public ValueTask<ExportFilterResult> EvaluateAsync(ExportFilterContext context, CancellationToken cancellationToken)
    {
        var filters = context.Options.Filters;
        for (var i = 0; i < filters.Count; i++)
        {
            var condition = filters[i];
            var value = ConversationValues.Read(context.Conversation, condition.Source);
            var (holds, description) = Evaluate(condition, value);
            if (!holds)
            {
                return ValueTask.FromResult(ExportFilterResult.Skip($"Filters[{i}] did not hold: {condition.Source} {description}."));
            }
        }

        return ValueTask.FromResult(ExportFilterResult.Export);
    }

    internal static (bool Holds, string Description) Evaluate(ExportCondition condition, string? value)
    {
        if (condition.Equals is { } expected)
        {
            return (Same(value, expected), $"must equal '{expected}'");
        }

        if (condition.NotEquals is { } unexpected)
        {
            return (!Same(value, unexpected), $"must not equal '{unexpected}'");
        }

        if (condition.In is { } allowed)
        {
            return (allowed.Any(a => Same(value, a)), $"must be one of [{string.Join(", ", allowed)}]");
        }

        if (condition.Exists is { } exists)
        {
            return (exists == value is not null, exists ? "must have a value" : "must be empty");
        }

        return (true, string.Empty);
    }

    private static bool Same(string? value, string expected) =>
        value is not null && string.Equals(value.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase);
}
