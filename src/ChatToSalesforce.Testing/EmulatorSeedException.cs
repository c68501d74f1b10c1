namespace ChatToSalesforce.Testing;

/// <summary>A seed file could not be loaded. The message names the file, the line (when known) and the reason.</summary>
public sealed class EmulatorSeedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The seed file.</param>
    /// <param name="lineNumber">The 1-based line, when known.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public EmulatorSeedException(string filePath, long? lineNumber, string reason, Exception? innerException = null)
        : base(lineNumber is { } line ? $"{filePath}({line}): {reason}" : $"{filePath}: {reason}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The seed file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line of the problem, when known.</summary>
    public long? LineNumber { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
