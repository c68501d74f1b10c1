namespace ChatToSalesforce.Mapping.Internal;

internal sealed class DefaultFieldMapper : IFieldMapper
{
}
