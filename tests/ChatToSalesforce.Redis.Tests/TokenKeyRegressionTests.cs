using ChatToSalesforce.Redis.Internal;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>Regression tests for bugs found in a review.</summary>
public sealed class TokenKeyRegressionTests
{
    // The start-up org (tenant "") is keyed as "(default)", which is also a valid tenant id: the two grants then share one
    // Redis hash and lease, and each worker's refresh adds its refresh-token print to the other's "known" family.
    [Fact]
    public void A_tenant_named_default_in_parentheses_does_not_share_the_start_up_orgs_redis_keys()
    {
        var coordinator = new RedisTokenCoordinator(
            new RedisTokenSharingOptions(),
            new EphemeralDataProtectionProvider().CreateProtector("t"),
            connection: null,
            TimeProvider.System,
            NullLogger<RedisTokenCoordinator>.Instance);

        var startUp = coordinator.KeysOf(new SharedGrant(string.Empty, "ABCDEF012345ABCDEF012345", "rt-of-start-up-org"));
        var tenant = coordinator.KeysOf(new SharedGrant("(default)", "ABCDEF012345ABCDEF012345", "rt-of-tenant"));

        tenant.State.Should().NotBe(startUp.State);
        tenant.Lease.Should().NotBe(startUp.Lease);
    }
}
