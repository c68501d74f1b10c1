using System.CommandLine;
using ChatToSalesforce.Cli.Commands;
using Spectre.Console;

namespace ChatToSalesforce.Cli;

/// <summary>The <c>chat2sf</c> command line, runnable in-process (tests) with its own writers and cancellation.</summary>
internal static class CliApp
{
    /// <summary>Exit code: every conversation was exported or skipped; the check passed.</summary>
    public const int Success = 0;

    /// <summary>Exit code: some conversations failed; a mapped field is missing or read-only.</summary>
    public const int SomeFailed = 1;

    /// <summary>Exit code: bad input file, bad command line, or bad configuration (nothing was exported).</summary>
    public const int BadInput = 2;

    /// <summary>
    /// Exit code: Salesforce could not be used: the credentials were rejected, the org could not be reached, or the daily API
    /// limit is reached. An export stops at the first such failure instead of failing every conversation the same way.
    /// </summary>
    public const int ConnectionFailed = 3;

    /// <summary>Exit code: interrupted by Ctrl+C after the in-flight exports finished (the summary so far is printed).</summary>
    public const int Interrupted = 130;

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Standard output (tables, summaries).</param>
    /// <param name="stderr">Standard error (errors).</param>
    /// <param name="cancellationToken">A graceful stop (Ctrl+C): no new conversation is started; in-flight ones finish.</param>
    /// <param name="hooks">Test hooks.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, CliHooks? hooks = null)
    {
        hooks ??= CliHooks.None;
        var interactive = hooks.Interactive
            ?? (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")));
        var console = new CliConsole(CreateConsole(stdout, interactive), stderr, interactive, hooks);

        var root = new RootCommand("chat2sf: export chat conversations into Salesforce, preview exports, check a connection, connect or disconnect a tenant's org, try the agent console's lookup and the chatbot actions, show or replay an export journal, and serve a local Salesforce org emulator.");
        root.Subcommands.Add(ExportCommand.Create(console));
        root.Subcommands.Add(PreviewCommand.Create(console));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(EmulatorCommand.Create(console));
        root.Subcommands.Add(ConnectCommand.Create(console));
        root.Subcommands.Add(ConnectCommand.CreateDisconnect(console));
        root.Subcommands.Add(JournalCommand.Create(console));
        root.Subcommands.Add(ReplayCommand.Create(console));
        root.Subcommands.Add(LookupCommand.Create(console));
        root.Subcommands.Add(FindCommand.Create(console));
        root.Subcommands.Add(SoqlCommand.Create(console));
        root.Subcommands.Add(EraseCommand.Create(console));

        var parseResult = root.Parse(args);
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = stdout, Error = stderr };
        if (parseResult.Errors.Count > 0 && parseResult.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            // Bad command line: the errors and usage, exit code 2 (bad input) rather than System.CommandLine's 1.
            await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
            return BadInput;
        }

        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static IAnsiConsole CreateConsole(TextWriter stdout, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 160; // logs: wide enough that tables do not wrap ids
        }

        return console;
    }
}

/// <summary>Where a command writes: Spectre output (stdout), plain errors (stderr), and whether progress bars may be drawn.</summary>
/// <remarks>Every line goes through <see cref="ConsoleText.Escape"/>: file names, values and Salesforce's messages cannot inject control characters.</remarks>
internal sealed record CliConsole(IAnsiConsole Out, TextWriter Error, bool Interactive, CliHooks Hooks)
{
    /// <summary>Writes one line to standard output, its control characters escaped.</summary>
    public void Line(string text) => Out.Write(new Text(ConsoleText.Escape(text) + Environment.NewLine));

    /// <summary>Writes one line to standard error, its control characters escaped.</summary>
    public void WriteError(string line)
    {
        Error.WriteLine(ConsoleText.Escape(line));
        Error.Flush();
    }

    public void WriteErrors(string heading, IEnumerable<string> lines)
    {
        Error.WriteLine(ConsoleText.Escape(heading));
        foreach (var line in lines)
        {
            Error.WriteLine($"  - {ConsoleText.Escape(line)}");
        }

        Error.Flush();
    }
}
