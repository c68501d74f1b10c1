using System.CommandLine;
using ChatToSalesforce.Testing;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf emulator --port &lt;n&gt; [--seed &lt;file&gt;]</c>: serves the Salesforce org emulator on 127.0.0.1 until Ctrl+C.</summary>
internal static class EmulatorCommand
{
    public static Command Create()
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
        var command = new Command("emulator", "Serve an in-memory Salesforce org emulator over HTTP on 127.0.0.1, with a dashboard at its base URL. Its token endpoint accepts the client id chat2sf with the secret chat2sf (and clients registered in the seed file).")
        {
            port,
            seed,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(port), parseResult.GetValue(seed), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int port, FileInfo? seed, CancellationToken invocationToken)
    {
        using var shutdown = new ShutdownSignal(invocationToken);
        var cancellationToken = shutdown.Token;
        if (port is < 0 or > 65535)
        {
            await Console.Error.WriteLineAsync($"--port must be between 0 and 65535, not {port}.").ConfigureAwait(false);
            return 2;
        }

        SalesforceEmulator emulator;
        try
        {
            emulator = seed is null ? new SalesforceEmulator() : SalesforceEmulator.FromSeedFile(seed.FullName);
        }
        catch (EmulatorSeedException e)
        {
            await Console.Error.WriteLineAsync($"Seed file error: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (emulator.ConfigureAwait(false))
        {
            Uri url;
            try
            {
                url = await emulator.StartServerAsync(port, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                await Console.Error.WriteLineAsync($"Cannot listen on 127.0.0.1:{port}: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            // The first stdout line is the base URL alone, so scripts can read it.
            Console.Out.WriteLine(url.ToString().TrimEnd('/'));
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            AnsiConsole.MarkupLine($"[grey]Salesforce org emulator ready. Organization {emulator.OrganizationId}, integration user {emulator.IntegrationUserId}.[/]");
            AnsiConsole.MarkupLine($"[grey]Token: POST {url}services/oauth2/token (grant_type=client_credentials, client id chat2sf, secret chat2sf).[/]");
            AnsiConsole.MarkupLine($"[grey]Dashboard: {url} (open it in a browser). Press Ctrl+C to stop.[/]");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C
            }

            AnsiConsole.MarkupLine($"[grey]Stopping. {emulator.RequestLog.Count} requests answered, {emulator.ApiCallsUsed} API calls counted.[/]");
        }

        return 0;
    }
}
