using OpenQA.Selenium.Chrome;

namespace ChatToSalesforce.TestSupport;

/// <summary>
/// Debian's chromium driven headless by chromium-driver (.ci/run installs both when missing), with a throwaway profile.
/// The browser tests of every project start it here; where it is missing they report themselves skipped with the reason.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    // Debian's paths; the environment variables point the tests elsewhere (or at nothing, to see the skip).
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHAT2SF_TEST_CHROMIUM") ?? "/usr/bin/chromium";
    private static readonly string ChromeDriverPath = Environment.GetEnvironmentVariable("CHAT2SF_TEST_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    private readonly DirectoryInfo _profile;

    private HeadlessChromium(DirectoryInfo profile, ChromeDriver driver)
    {
        _profile = profile;
        Driver = driver;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Skips the calling test, saying what is missing, when the browser or its driver is not installed.</summary>
    public static void SkipUnlessInstalled()
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"No browser: {ChromiumPath} is missing (install Debian's chromium and chromium-driver; .ci/run does when it runs as root).");
        Skip.IfNot(File.Exists(ChromeDriverPath), $"No browser driver: {ChromeDriverPath} is missing (install Debian's chromium-driver; .ci/run does when it runs as root).");
    }

    public static HeadlessChromium Start()
    {
        var profile = Directory.CreateTempSubdirectory("chat2sf-chromium-");
        try
        {
            var options = new ChromeOptions { BinaryLocation = ChromiumPath };
            options.AddArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1366,900", $"--user-data-dir={profile.FullName}");
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
            service.SuppressInitialDiagnosticInformation = true;
            service.HideCommandPromptWindow = true;
            return new HeadlessChromium(profile, new ChromeDriver(service, options, TimeSpan.FromSeconds(60)));
        }
        catch
        {
            profile.Delete(recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        Driver.Dispose();
        _profile.Delete(recursive: true);
    }
}
