using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Builds the RS256-signed JWT of the JWT bearer flow with System.Security.Cryptography only.</summary>
internal static class JwtAssertion
{
    /// <summary>The assertion's lifetime; Salesforce accepts an expiration within 3 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    /// <summary>Creates a signed assertion: <c>iss</c> = client id, <c>sub</c> = username, <c>aud</c> = login URL, <c>exp</c> = now + 3 minutes in seconds.</summary>
    public static string Create(string clientId, string username, string audience, RSA key, DateTimeOffset now)
    {
        var header = "{\"alg\":\"RS256\"}"u8;
        using var claimsBuffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(claimsBuffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", clientId);
            writer.WriteString("sub", username);
            writer.WriteString("aud", audience);
            writer.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var signingInput = Base64Url(header) + "." + Base64Url(claimsBuffer.ToArray());
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Base64url without padding (RFC 7515).</summary>
    public static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Loads an RSA private key from PEM text (PKCS#1 or PKCS#8).</summary>
    /// <exception cref="SalesforceAuthenticationException">The PEM holds no usable RSA private key.</exception>
    public static RSA LoadKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);

            // A public key (or a certificate's key) imports too, and only fails when signing: sign once now, so such a key
            // is refused here with the message below instead of a raw CryptographicException at every token request.
            rsa.SignData([0], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new SalesforceAuthenticationException(
                null,
                null,
                "The JWT signing key is not a usable RSA private key in PEM form ('-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----'; encrypted keys are not supported). Check Authentication.PrivateKeyPem / PrivateKeyPath.",
                ex);
        }
    }
}
