namespace ChatToSalesforce.Records.Internal;

internal sealed class DefaultRecordResolver : IRecordResolver
{
}
