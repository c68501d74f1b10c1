using ChatToSalesforce.Testing;
using ChatToSalesforce.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ChatToSalesforce.AspNetCore.Tests;

/// <summary>
/// Issue 14 item 2, end to end in a real headless browser (Debian's chromium and chromium-driver, which .ci/run installs when
/// missing): the host app on Kestrel at 127.0.0.1, the orgs served on loopback without auto-approve. The browser starts at
/// the host's connect endpoint, logs in and clicks Allow on the emulator's page, comes back to the callback, and the tenant
/// then exports a conversation. Where no browser can be found the test reports itself skipped with the reason.
/// </summary>
public sealed class ConnectBrowserTests
{

    [SkippableFact]
    public async Task An_admin_connects_a_tenant_in_the_browser_and_the_tenant_then_exports()
    {
        HeadlessChromium.SkipUnlessInstalled();

        SalesforceEmulator? acme = null;
        await using var host = await ConnectHost.StartAsync(
            o =>
            {
                // A test host: the browser carries no sign-in, so everyone may connect; the tenant's My Domain is its served org.
                o.CanConnect = (_, _) => ValueTask.FromResult(true);
                o.ResolveMyDomain = (_, _) => ValueTask.FromResult<Uri?>(acme!.InstanceUrl);
            },
            kestrel: true,
            autoApprove: false);
        acme = host.Acme;
        acme.InstanceUrl.Host.Should().Be("127.0.0.1");
        host.BaseUrl.Host.Should().Be("127.0.0.1");

        using (var browser = HeadlessChromium.Start())
        {
            var driver = browser.Driver;
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20)) { PollingInterval = TimeSpan.FromMilliseconds(100) };
            wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));

            driver.Navigate().GoToUrl(new Uri(host.BaseUrl, "salesforce/connect?tenant=acme"));

            // The org's login and Allow page.
            var username = wait.Until(d => d.FindElement(By.Id("username")));
            new Uri(driver.Url).Authority.Should().Be(acme.InstanceUrl.Authority);
            driver.FindElement(By.CssSelector("input[name='code_challenge_method']")).GetAttribute("value").Should().Be("S256");
            username.Clear();
            username.SendKeys(acme.IntegrationUsername);
            driver.FindElement(By.Id("password")).SendKeys("any password");
            driver.FindElement(By.Id("oaapprove")).Click();

            // Back at the host's callback.
            var result = wait.Until(d => d.FindElement(By.Id("salesforce-result")));
            new Uri(driver.Url).Authority.Should().Be(host.BaseUrl.Authority);
            new Uri(driver.Url).AbsolutePath.Should().Be("/salesforce/callback");
            result.GetAttribute("data-status").Should().Be("connected", result.Text);
            result.Text.Should().Be($"Connected as {acme.IntegrationUsername} to org {acme.OrganizationId}.");
            driver.FindElement(By.Id("salesforce-title")).Text.Should().Be("Connected to Salesforce");
        }

        var connection = await host.Store.GetConnectionAsync("acme", default);
        connection!.InstanceUrl.Should().Be(acme.InstanceUrl);
        var export = await host.Exporter.ExportAsync(ConnectHost.Chat("acme", "chat-browser-1", "ada.browser@example.com"));
        export.Status.Should().Be(ExportStatus.Exported);
        acme.Records("Contact").Should().Contain(c => (string?)c["Email"] == "ada.browser@example.com");
        host.Logs.Lines.Where(l => l.StartsWith("ChatToSalesforce", StringComparison.Ordinal)).Should().NotContain(l => l.Contains(connection.RefreshToken, StringComparison.Ordinal));
    }
}
