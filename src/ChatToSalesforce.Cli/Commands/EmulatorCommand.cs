using System.CommandLine;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf emulator --port &lt;n&gt; [--seed &lt;file&gt;] [--orgs a,b,c] [--open]</c>: serves the Salesforce org emulator (one org, or several) and its dashboard on 127.0.0.1 until Ctrl+C.</summary>
internal static class EmulatorCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = "The port to listen on (127.0.0.1 only); 0 picks a free port.",
            DefaultValueFactory = _ => 0,
        };
        var seed = new Option<FileInfo?>("--seed")
        {
            Description = "A seed file with custom objects and fields, duplicate rules, clients and records (see docs/emulator.md).",
        };
        var open = new Option<bool>("--open")
        {
            Description = "Open the dashboard in a browser (xdg-open; nothing happens where no browser can be started).",
        };
        var orgs = new Option<string?>("--orgs")
        {
            Description = "Serve several orgs (one per tenant), each on its own 127.0.0.1 port with its own org id, records, limits and client credentials: a comma-separated list of My Domain names, e.g. acme,globex. --port is then not allowed; --seed seeds every org.",
        };
        var command = new Command("emulator", "Serve an in-memory Salesforce org emulator over HTTP on 127.0.0.1, with its dashboard at the base URL. Its token endpoint accepts the client id chat2sf with the secret chat2sf (and clients registered in the seed file).")
        {
            port,
            seed,
            orgs,
            open,
        };
        command.SetAction((parseResult, cancellationToken) => parseResult.GetValue(orgs) is { } names
            ? ClusterAsync(console, names, parseResult.GetResult(port) is { Implicit: false }, parseResult.GetValue(seed), parseResult.GetValue(open), cancellationToken)
            : RunAsync(console, parseResult.GetValue(port), parseResult.GetValue(seed), parseResult.GetValue(open), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, int port, FileInfo? seed, bool open, CancellationToken invocationToken)
    {
        using var shutdown = new ShutdownSignal(invocationToken);
        var cancellationToken = shutdown.Token;
        if (port is < 0 or > 65535)
        {
            console.WriteError($"--port must be between 0 and 65535, not {port}.");
            return 2;
        }

        SalesforceEmulator emulator;
        try
        {
            emulator = seed is null ? new SalesforceEmulator() : SalesforceEmulator.FromSeedFile(seed.FullName);
        }
        catch (EmulatorSeedException e)
        {
            console.WriteError($"Seed file error: {e.Message}");
            return 1;
        }

        await using (emulator.ConfigureAwait(false))
        {
            console.Hooks.EmulatorCreated?.Invoke(emulator);
            Uri url;
            try
            {
                url = await emulator.StartServerAsync(port, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                console.WriteError($"Cannot listen on 127.0.0.1:{port}: {e.Message}");
                return 1;
            }

            // The first stdout line is the base URL alone, so scripts can read it; the rest goes to stderr.
            console.Out.Profile.Out.Writer.WriteLine(url.ToString().TrimEnd('/'));
            await console.Out.Profile.Out.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var dashboard = new Uri(url, "/");
            console.WriteError($"Salesforce org emulator ready. Organization {emulator.OrganizationId}, integration user {emulator.IntegrationUserId}.");
            console.WriteError($"Dashboard: {dashboard}");
            console.WriteError($"Token: POST {url}services/oauth2/token (grant_type=client_credentials, client id chat2sf, secret chat2sf). Press Ctrl+C to stop.");
            if (open)
            {
                if (console.Hooks.OpenBrowser is { } openBrowser)
                {
                    openBrowser(dashboard);
                }
                else if (!Browser.TryOpen(dashboard))
                {
                    console.WriteError("(No browser could be started here; open the dashboard link yourself.)");
                }
            }

            console.Hooks.Serving?.Invoke(url);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C
            }

            console.WriteError($"Stopping. {emulator.RequestLog.Count} requests answered, {emulator.ApiCallsUsed} API calls counted.");
        }

        return 0;
    }

    /// <summary><c>--orgs a,b,c</c>: a cluster, each org served on its own free port. Stdout: one line per org (name, base URL, client id, client secret, tab-separated).</summary>
    private static async Task<int> ClusterAsync(CliConsole console, string names, bool portGiven, FileInfo? seed, bool open, CancellationToken invocationToken)
    {
        using var shutdown = new ShutdownSignal(invocationToken);
        var cancellationToken = shutdown.Token;
        if (portGiven)
        {
            console.WriteError("--port cannot be used with --orgs: each org is served on its own free port (printed at start).");
            return 2;
        }

        var list = names.Split(',', StringSplitOptions.TrimEntries);
        if (list.Any(n => n.Length == 0))
        {
            console.WriteError($"--orgs must be a comma-separated list of org names (e.g. acme,globex), not '{names}'.");
            return 2;
        }

        var cluster = new SalesforceEmulatorCluster();
        await using (cluster.ConfigureAwait(false))
        {
            foreach (var name in list)
            {
                try
                {
                    var org = cluster.AddOrg(name);
                    if (seed is not null)
                    {
                        org.LoadSeedFile(seed.FullName);
                    }
                }
                catch (ArgumentException e)
                {
                    console.WriteError($"--orgs: {e.Message.Split(" (Parameter", 2)[0]}");
                    return 2;
                }
                catch (EmulatorSeedException e)
                {
                    console.WriteError($"Seed file error: {e.Message}");
                    return 1;
                }
            }

            try
            {
                await cluster.StartServerAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                console.WriteError($"Cannot listen on 127.0.0.1: {e.Message}");
                return 1;
            }

            var writer = console.Out.Profile.Out.Writer;
            foreach (var (name, org) in list.Zip(cluster.Orgs))
            {
                await writer.WriteLineAsync($"{name}\t{org.InstanceUrl.ToString().TrimEnd('/')}\t{org.ClientId}\t{org.ClientSecret}").ConfigureAwait(false);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            console.WriteError($"{list.Length} Salesforce org emulators ready (stdout: name, base URL, client id, client secret per org).");
            foreach (var (name, org) in list.Zip(cluster.Orgs))
            {
                console.WriteError($"{name}: {org.InstanceUrl} organization {org.OrganizationId}, integration user {org.IntegrationUsername}; token: POST {org.InstanceUrl}services/oauth2/token (grant_type=client_credentials, client id {org.ClientId}, secret {org.ClientSecret}); dashboard {org.InstanceUrl}");
            }

            console.WriteError("Press Ctrl+C to stop.");
            var first = cluster.Orgs[0].InstanceUrl;
            if (open && !(console.Hooks.OpenBrowser is { } openBrowser ? Run(openBrowser, first) : Browser.TryOpen(first)))
            {
                console.WriteError("(No browser could be started here; open the dashboard link yourself.)");
            }

            console.Hooks.Serving?.Invoke(first);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C
            }

            console.WriteError($"Stopping. {cluster.Orgs.Sum(o => o.RequestLog.Count)} requests answered, {cluster.Orgs.Sum(o => o.ApiCallsUsed)} API calls counted.");
        }

        return 0;
    }

    private static bool Run(Action<Uri> action, Uri url)
    {
        action(url);
        return true;
    }
}
