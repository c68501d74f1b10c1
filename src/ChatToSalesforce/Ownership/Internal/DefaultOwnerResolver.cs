namespace ChatToSalesforce.Ownership.Internal;

internal sealed class DefaultOwnerResolver : IOwnerResolver
{
}
