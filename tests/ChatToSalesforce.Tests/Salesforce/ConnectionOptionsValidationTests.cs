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
}
