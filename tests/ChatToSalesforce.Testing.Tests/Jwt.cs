using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Builds RS256 JWT assertions by hand, as the Salesforce JWT bearer flow expects.</summary>
internal static class Jwt
{
    public static string Create(RSA key, string issuer, string subject, string audience = "https://login.salesforce.com", long? exp = null)
    {
        var header = new JsonObject { ["alg"] = "RS256" };
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["exp"] = exp ?? DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeSeconds(),
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + B64(signature);
    }

    public static string Form(string assertion) =>
        "grant_type=" + Uri.EscapeDataString("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + assertion;

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
