using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class InstanceUrlRulesTests
{
    [Theory]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com/")]
    [InlineData("https://ACME.My.Salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com")]
    [InlineData("https://acme-dev-ed.develop.my.salesforce.com")]
    [InlineData("https://nango-dev-ed.develop.my.salesforce.com")]
    [InlineData("https://fun-company-1234.scratch.my.salesforce.com")]
    [InlineData("https://acme.demo.my.salesforce.com")]
    [InlineData("https://acme.free.my.salesforce.com")]
    [InlineData("https://acme.trailblaze.my.salesforce.com")]
    [InlineData("https://acme.patch.my.salesforce.com")]
    [InlineData("https://acme.my.salesforce.mil")]
    [InlineData("https://acme.my.sfcrmproducts.cn")]
    [InlineData("https://na1.salesforce.com")] // legacy instance host: still accepted (DESIGN: *.salesforce.com / *.my.salesforce.com)
    public void Check_MyDomainForms_AreAccepted(string url) => InstanceUrlRules.Check(new Uri(url), allowTestEndpoint: false).Should().BeNull();

    [Theory]
    [InlineData("https://login.salesforce.com", "login host")]
    [InlineData("https://test.salesforce.com", "login host")]
    [InlineData("http://acme.my.salesforce.com", "https")]
    [InlineData("https://acme.lightning.force.com", "Lightning Experience")]
    [InlineData("https://example.com", "not a Salesforce My Domain host")]
    [InlineData("https://acme.my.salesforce.com.evil.com", "not a Salesforce My Domain host")]
    [InlineData("https://my.salesforce.com", "not a")]
    [InlineData("https://www.salesforce.com", "not a")]
    [InlineData("https://acme.my.salesforce.com/services/data", "path")]
    [InlineData("http://localhost:5000", "https")]
    [InlineData("https://user@acme.my.salesforce.com", "user name or password")]
    [InlineData("https://acme.my.salesforce.com:8443", "port 8443")]
    public void Check_NonInstanceUrls_AreRejectedWithAReason(string url, string reason) =>
        InstanceUrlRules.Check(new Uri(url), allowTestEndpoint: false).Should().Contain(reason);

    [Fact]
    public void Check_LoginHost_SaysToUseTheMyDomain() =>
        InstanceUrlRules.Check(new Uri("https://login.salesforce.com"), false).Should().Contain("My Domain URL");

    [Theory]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("https://emulator.internal")]
    public void Check_TestEndpoint_AllowedOnlyWhenOptedIn(string url)
    {
        InstanceUrlRules.Check(new Uri(url), allowTestEndpoint: true).Should().BeNull();
        InstanceUrlRules.Check(new Uri(url), allowTestEndpoint: false).Should().NotBeNull();
    }

    [Fact]
    public void Check_Missing_IsRequired() => InstanceUrlRules.Check(null, false).Should().Contain("required");

    [Theory]
    [InlineData("https://na1.salesforce.com", false, true)]
    [InlineData("https://acme.my.salesforce.com", false, true)]
    [InlineData("http://acme.my.salesforce.com", false, false)]
    [InlineData("http://127.0.0.1:5050", true, true)]
    [InlineData("instance_url", false, false)]
    [InlineData(null, false, false)]
    public void CheckTokenInstanceUrl_RequiresHttpsUnlessTestEndpoint(string? url, bool allowTest, bool ok) =>
        (InstanceUrlRules.CheckTokenInstanceUrl(url, allowTest) is null).Should().Be(ok);

    [Theory]
    [InlineData("https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com")]
    [InlineData("https://acme.patch.my.salesforce.com/services/oauth2/token")]
    [InlineData("https://acme.my.salesforce.mil")]
    public void CheckTokenUrl_LoginAndMyDomainHosts_AreAccepted(string url) =>
        InstanceUrlRules.CheckTokenUrl(new Uri(url), allowTestEndpoint: false).Should().BeNull();

    [Theory]
    [InlineData("https://evil.example.com", "not a Salesforce login host or My Domain host")]
    [InlineData("https://na1.salesforce.com", "not a Salesforce login host or My Domain host")]
    [InlineData("https://acme.lightning.force.com", "Lightning Experience")]
    [InlineData("http://acme.my.salesforce.com", "https")]
    [InlineData("https://acme.my.salesforce.com:444", "port 444")]
    [InlineData("https://me@acme.my.salesforce.com", "user name or password")]
    public void CheckTokenUrl_OtherHosts_AreRejected(string url, string reason) =>
        InstanceUrlRules.CheckTokenUrl(new Uri(url), allowTestEndpoint: false).Should().Contain(reason);

    [Fact]
    public void CheckTokenUrl_TestEndpoint_AcceptsLoopbackButNeverUserInfo()
    {
        InstanceUrlRules.CheckTokenUrl(new Uri("http://127.0.0.1:5055"), allowTestEndpoint: true).Should().BeNull();
        InstanceUrlRules.CheckTokenUrl(new Uri("http://me:pw@127.0.0.1:5055"), allowTestEndpoint: true).Should().Contain("user name or password").And.NotContain("pw");
    }
}
