using ChatToSalesforce.DependencyInjection.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>The connection and authentication checks of the options validator (the transport's part of it).</summary>
public sealed class ConnectionOptionsValidationTests
{
    private static SalesforceChatExportOptions Valid(SalesforceAuthFlow flow = SalesforceAuthFlow.ClientCredentials) => new()
    {
        InstanceUrl = new Uri("https://acme.my.salesforce.com"),
        Authentication = new SalesforceAuthenticationOptions
        {
            Flow = flow,
            ClientId = "id",
            ClientSecret = "secret",
            Username = "u@acme.com",
            PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nMII...\n-----END PRIVATE KEY-----",
            RefreshToken = "rt",
            AccessToken = "at",
        },
    };

    private static IReadOnlyList<string> Errors(SalesforceChatExportOptions o) =>
        new SalesforceChatExportOptionsValidator().Validate(null, o).Failures?.ToList() ?? [];

    [Theory]
    [InlineData(SalesforceAuthFlow.JwtBearer)]
    [InlineData(SalesforceAuthFlow.ClientCredentials)]
    [InlineData(SalesforceAuthFlow.RefreshToken)]
    [InlineData(SalesforceAuthFlow.AccessToken)]
    [InlineData(SalesforceAuthFlow.Custom)]
    public void Validate_EachFlowWithItsSettings_Passes(SalesforceAuthFlow flow) => Errors(Valid(flow)).Should().BeEmpty();

    [Theory]
    [InlineData("https://login.salesforce.com", "login host")]
    [InlineData("https://test.salesforce.com", "login host")]
    [InlineData("http://acme.my.salesforce.com", "https")]
    [InlineData("https://acme.lightning.force.com", "Lightning")]
    public void Validate_NonInstanceUrl_IsReported(string url, string reason)
    {
        var o = Valid();
        o.InstanceUrl = new Uri(url);

        Errors(o).Should().ContainSingle(e => e.StartsWith("InstanceUrl:", StringComparison.Ordinal) && e.Contains(reason));
    }

    [Fact]
    public void Validate_LoopbackEmulator_NeedsAllowTestEndpoint()
    {
        var o = Valid();
        o.InstanceUrl = new Uri("http://127.0.0.1:5050");
        Errors(o).Should().Contain(e => e.StartsWith("InstanceUrl:", StringComparison.Ordinal));

        o.AllowTestEndpoint = true;
        Errors(o).Should().BeEmpty();
    }

    [Theory]
    [InlineData("https://login.salesforce.com", "request not supported on this domain")]
    [InlineData("https://test.salesforce.com", "request not supported on this domain")]
    public void Validate_ClientCredentialsOnLoginHost_SaysWhy(string tokenUrl, string why)
    {
        var o = Valid();
        o.Authentication.TokenUrl = new Uri(tokenUrl);

        Errors(o).Should().ContainSingle(e => e.StartsWith("Authentication.TokenUrl:", StringComparison.Ordinal) && e.Contains(why));
    }

    [Fact]
    public void Validate_HttpTokenUrl_IsReported()
    {
        var o = Valid(SalesforceAuthFlow.JwtBearer);
        o.Authentication.TokenUrl = new Uri("http://acme.my.salesforce.com");

        Errors(o).Should().Contain(e => e.StartsWith("Authentication.TokenUrl:", StringComparison.Ordinal) && e.Contains("https"));
    }

    [Fact]
    public void Validate_PrivateKeyPemThatIsNotPem_IsReported()
    {
        var o = Valid(SalesforceAuthFlow.JwtBearer);
        o.Authentication.PrivateKeyPem = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";

        Errors(o).Should().Contain(e => e.StartsWith("Authentication.PrivateKeyPem:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_JwtAudienceNotLoginHost_IsReported()
    {
        var o = Valid(SalesforceAuthFlow.JwtBearer);
        o.Authentication.LoginUrl = new Uri("https://acme.my.salesforce.com");

        Errors(o).Should().Contain(e => e.StartsWith("Authentication.LoginUrl:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Messages_NeverContainSecrets()
    {
        var o = Valid(SalesforceAuthFlow.JwtBearer);
        o.Authentication.PrivateKeyPem = "not-a-key-but-secret";
        o.Authentication.TokenUrl = new Uri("ftp://x");

        string.Join("\n", Errors(o)).Should().NotContain("not-a-key-but-secret").And.NotContain("secret\"");
    }

    // Issue 11 item 1: the token request carries the client secret, refresh token or JWT; it must only go to Salesforce.
    [Theory]
    [InlineData(SalesforceAuthFlow.ClientCredentials, "https://attacker.example.com")]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://attacker.example.com/services/oauth2/token")]
    [InlineData(SalesforceAuthFlow.JwtBearer, "https://login.salesforce.com.attacker.example")]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://na1.salesforce.com")]
    [InlineData(SalesforceAuthFlow.ClientCredentials, "https://acme.my.site.com")]
    public void Validate_TokenUrlOutsideSalesforce_IsRejectedNamingTheHost(SalesforceAuthFlow flow, string tokenUrl)
    {
        var o = Valid(flow);
        o.Authentication.TokenUrl = new Uri(tokenUrl);

        Errors(o).Should().ContainSingle(e => e.StartsWith("Authentication.TokenUrl:", StringComparison.Ordinal)).Which
            .Should().Contain($"'{new Uri(tokenUrl).Host}' is not a Salesforce login host or My Domain host")
            .And.Contain("AllowTestEndpoint");
    }

    [Theory]
    [InlineData(SalesforceAuthFlow.ClientCredentials, "https://acme.my.salesforce.com")]
    [InlineData(SalesforceAuthFlow.ClientCredentials, "https://acme--uat.sandbox.my.salesforce.com")]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://acme-dev-ed.develop.my.salesforce.com/services/oauth2/token")]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://fun-company-1234.scratch.my.salesforce.com")]
    [InlineData(SalesforceAuthFlow.JwtBearer, "https://acme.trailblaze.my.salesforce.com")]
    [InlineData(SalesforceAuthFlow.JwtBearer, "https://login.salesforce.com")]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://test.salesforce.com")]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://acme.my.salesforce.com:443")]
    public void Validate_TokenUrlOnALoginOrMyDomainHost_Passes(SalesforceAuthFlow flow, string tokenUrl)
    {
        var o = Valid(flow);
        o.Authentication.TokenUrl = new Uri(tokenUrl);

        Errors(o).Should().BeEmpty();
    }

    [Fact]
    public void Validate_TokenUrlOutsideSalesforce_IsAcceptedWithAllowTestEndpoint()
    {
        var o = Valid();
        o.AllowTestEndpoint = true;
        o.Authentication.TokenUrl = new Uri("http://127.0.0.1:5055");

        Errors(o).Should().BeEmpty();
    }

    [Theory]
    [InlineData(SalesforceAuthFlow.RefreshToken, "https://attacker.example.com")]
    [InlineData(SalesforceAuthFlow.JwtBearer, "https://attacker.example.com")]
    [InlineData(SalesforceAuthFlow.ClientCredentials, "http://login.salesforce.com")]
    public void Validate_LoginUrlOutsideSalesforce_IsRejected(SalesforceAuthFlow flow, string loginUrl)
    {
        var o = Valid(flow);
        o.Authentication.LoginUrl = new Uri(loginUrl);

        Errors(o).Should().ContainSingle(e => e.StartsWith("Authentication.LoginUrl:", StringComparison.Ordinal));
    }

    // Issue 11 item 3: user-info is refused everywhere (even for a test endpoint), other ports unless AllowTestEndpoint.
    [Theory]
    [InlineData("https://user@acme.my.salesforce.com")]
    [InlineData("https://user:p4ssw0rd@acme.my.salesforce.com")]
    public void Validate_UserInfoInInstanceOrTokenUrl_IsRejectedWithoutEchoingIt(string url)
    {
        var o = Valid();
        o.InstanceUrl = new Uri(url);
        o.Authentication.TokenUrl = new Uri(url);
        var errors = Errors(o);

        errors.Should().Contain(e => e.StartsWith("InstanceUrl:", StringComparison.Ordinal) && e.Contains("user name or password"));
        errors.Should().Contain(e => e.StartsWith("Authentication.TokenUrl:", StringComparison.Ordinal) && e.Contains("user name or password"));
        string.Join("\n", errors).Should().NotContain("user@").And.NotContain("p4ssw0rd");

        o.AllowTestEndpoint = true;
        Errors(o).Should().HaveCount(2, "user-info is refused even for a test endpoint");
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com:8443")]
    [InlineData("https://acme.my.salesforce.com:80")]
    public void Validate_PortOtherThan443_IsRejectedUnlessTestEndpoint(string url)
    {
        var o = Valid();
        o.InstanceUrl = new Uri(url);
        o.Authentication.TokenUrl = new Uri(url);
        var port = new Uri(url).Port;

        Errors(o).Should().HaveCount(2).And.OnlyContain(e => e.Contains($"uses port {port}") && e.Contains("443"));

        o.AllowTestEndpoint = true;
        Errors(o).Should().BeEmpty();
    }
}
