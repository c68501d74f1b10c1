namespace ChatToSalesforce.Identity.Internal;

internal sealed class DefaultIdentityMatcher : IIdentityMatcher
{
}
