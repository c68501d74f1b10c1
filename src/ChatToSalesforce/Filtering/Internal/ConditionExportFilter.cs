namespace ChatToSalesforce.Filtering.Internal;

internal sealed class ConditionExportFilter : IExportFilter
{
}
