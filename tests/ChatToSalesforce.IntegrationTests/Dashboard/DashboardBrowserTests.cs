using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;
using ChatToSalesforce.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ChatToSalesforce.IntegrationTests.Dashboard;

/// <summary>
/// Issue 12 item 1: the served emulator's dashboard in a real headless browser (Debian's chromium and chromium-driver, which
/// .ci/run installs when missing). Where they cannot be found the test reports itself skipped with the reason.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string VisitorLine = "Hello, my parcel 7731 never arrived at the depot";
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">Mallory";

    [SkippableFact]
    public async Task After_an_export_the_browser_finds_the_contact_its_task_and_transcript_and_sees_a_fault_switched_on_in_the_page()
    {
        HeadlessChromium.SkipUnlessInstalled();

        await using var emulator = new SalesforceEmulator();
        var baseUrl = await emulator.StartServerAsync();
        emulator.Insert("Contact", new { LastName = Hostile, Email = "mallory@example.com" }); // record values are untrusted
        await using var host = EmulatorHost.Wire(
            emulator,
            o =>
            {
                o.InstanceUrl = baseUrl;
                o.AllowTestEndpoint = true;
                o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
                o.Authentication.ClientId = "chat2sf"; // the served emulator's configured credentials
                o.Authentication.ClientSecret = "chat2sf";
            },
            inProcess: false);
        var first = await host.Exporter.ExportAsync(Conversation("chat-browser-1", "ada.browser@example.com", "Ada Browser", VisitorLine));
        first.Status.Should().Be(ExportStatus.Exported);

        using (var browser = HeadlessChromium.Start())
        {
            var driver = browser.Driver;
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20)) { PollingInterval = TimeSpan.FromMilliseconds(100) };

            // The page re-renders while it loads: an element read during a re-render is looked up again, not a failure.
            wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
            driver.Navigate().GoToUrl(baseUrl);

            // Find the new Contact through the search and open it.
            wait.Until(d => d.FindElement(By.Id("object-Contact"))).Click();
            var search = wait.Until(d => d.FindElement(By.Id("search")));
            search.SendKeys("ada.browser@example");
            search.SendKeys(Keys.Enter);
            wait.Until(d => d.FindElements(By.CssSelector("#records a.record-link")).Count == 1);
            driver.FindElement(By.CssSelector("#records a.record-link")).Text.Should().Be("Ada Browser");
            driver.FindElement(By.CssSelector("#records a.record-link")).Click();

            // Its Task, with the transcript.
            wait.Until(d => d.FindElement(By.Id("view-title")).Text == "Ada Browser");
            var taskName = wait.Until(d =>
            {
                var related = d.FindElement(By.Id("related"));
                var link = related.FindElements(By.CssSelector(".related-record a")).FirstOrDefault(a => a.GetAttribute("href")!.EndsWith(first.Activity!.Id, StringComparison.Ordinal));
                return link is not null && related.Text.Contains(VisitorLine, StringComparison.Ordinal) ? link.Text : null;
            });
            wait.Until(d =>
            {
                d.FindElements(By.CssSelector("#related .related-record a")).First(a => a.GetAttribute("href")!.EndsWith(first.Activity!.Id, StringComparison.Ordinal)).Click();
                return true;
            });
            wait.Until(d => d.FindElement(By.Id("fields")).Text.Contains(VisitorLine, StringComparison.Ordinal));
            driver.FindElement(By.Id("view-title")).Text.Should().Be(taskName);

            // Switch a fault on in the page.
            driver.FindElement(By.Id("nav-controls")).Click();
            wait.Until(d => d.FindElement(By.Id("fault-form")));
            driver.FindElement(By.CssSelector("#fault-status option[value='503']")).Click();
            driver.FindElement(By.Id("fault-path")).SendKeys("/services/data/");
            Script(driver, "return [...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).map(e => e.id).join(',');")
                .Should().BeEmpty("every field has a label");
            Script(driver, "return ['header', 'nav', 'main'].filter(t => !document.querySelector(t)).join(',');").Should().BeEmpty("the landmarks are there");
            driver.FindElement(By.Id("add-fault")).Click();
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Fault added", StringComparison.Ordinal));
            emulator.Faults.Pending.Should().Be(1);

            // The next export meets it (and retries past it); the page's request log shows it.
            var second = await host.Exporter.ExportAsync(Conversation("chat-browser-2", "grace.browser@example.com", "Grace Browser", "Second chat"));
            second.Status.Should().Be(ExportStatus.Exported);
            driver.FindElement(By.Id("nav-requests")).Click();
            var faultRow = wait.Until(d => d.FindElements(By.CssSelector("#requests tr.fault")).FirstOrDefault());
            faultRow!.FindElement(By.CssSelector(".fault-cell")).Text.Should().Be("injected");
            faultRow.Text.Should().Contain("503").And.Contain("SERVER_UNAVAILABLE");
            var logText = Script(driver, "return document.getElementById('requests').textContent;");
            logText.Should().Contain("(redacted)").And.NotContain("Bearer");

            // Untrusted values are shown as text, never run.
            driver.Navigate().GoToUrl(new Uri(baseUrl, "#/object/Contact?q=mallory"));
            wait.Until(d => d.FindElements(By.CssSelector("#records a.record-link")).Count == 1);
            driver.FindElement(By.CssSelector("#records a.record-link")).Text.Should().Be(Hostile);
            driver.FindElements(By.CssSelector("#view img")).Should().BeEmpty();
            ((IJavaScriptExecutor)driver).ExecuteScript("return window.__xss === undefined;").Should().Be(true);
        }
    }

    private static string Script(IWebDriver driver, string script) => (string)((IJavaScriptExecutor)driver).ExecuteScript(script)!;

    private static Conversation Conversation(string id, string email, string name, string visitorLine) => new()
    {
        Id = id,
        Channel = "web",
        StartedAt = Chats.Start,
        EndedAt = Chats.Start.AddMinutes(5),
        Visitor = new ChatVisitor { Name = name, Email = email },
        Messages =
        [
            new ChatMessage { Role = ChatRole.Visitor, SenderName = name, Text = visitorLine, SentAt = Chats.Start },
            new ChatMessage { Role = ChatRole.Agent, SenderName = "Agent", Text = "Let me look into that for you.", SentAt = Chats.Start.AddMinutes(1) },
        ],
    };
}
