using System.ComponentModel;
using System.Diagnostics;

namespace ChatToSalesforce.Cli;

/// <summary>Opens a URL in the user's browser when one can be started; never fails (the link is printed anyway).</summary>
internal static class Browser
{
    /// <summary>Tries to open <paramref name="url"/>: <c>xdg-open</c> on Linux (only with a graphical session, so a text browser never takes over the terminal), <c>open</c> on macOS, the shell on Windows.</summary>
    /// <param name="url">The http URL to open.</param>
    /// <returns>Whether a browser was started.</returns>
    public static bool TryOpen(Uri url)
    {
        try
        {
            ProcessStartInfo info;
            if (OperatingSystem.IsWindows())
            {
                info = new ProcessStartInfo(url.ToString()) { UseShellExecute = true };
            }
            else if (OperatingSystem.IsMacOS())
            {
                info = new ProcessStartInfo("open") { ArgumentList = { url.ToString() } };
            }
            else
            {
                var graphical = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
                if (!graphical || FindOnPath("xdg-open") is not { } xdgOpen)
                {
                    return false;
                }

                info = new ProcessStartInfo(xdgOpen) { ArgumentList = { url.ToString() } };
            }

            if (!info.UseShellExecute)
            {
                // The browser's own chatter does not belong in the CLI's output.
                info.RedirectStandardOutput = true;
                info.RedirectStandardError = true;
            }

            using var process = Process.Start(info);
            if (process is not null && !info.UseShellExecute)
            {
                process.OutputDataReceived += static (_, _) => { };
                process.ErrorDataReceived += static (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            return process is not null || info.UseShellExecute;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
