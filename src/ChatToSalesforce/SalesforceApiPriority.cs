namespace ChatToSalesforce;

/// <summary>
/// Says what kind of work the calls made in a scope serve, when the default is wrong: for example a queue worker that
/// exports closed chats with <c>ExportManyAsync</c> (a backfill by default) marks them live.
/// </summary>
/// <example>
/// <code>
/// using (SalesforceApiPriority.Use(ApiWorkPriority.Live))
/// {
///     await foreach (var result in exporter.ExportManyAsync(closedChats)) { ... }
/// }
/// </code>
/// </example>
public static class SalesforceApiPriority
{
    private static readonly AsyncLocal<ApiWorkPriority?> Scope = new();

    /// <summary>The priority of the current scope, or <see langword="null"/> outside one.</summary>
    public static ApiWorkPriority? Current => Scope.Value;

    /// <summary>Marks the calls made until the returned scope is disposed (in this async flow) with <paramref name="priority"/>.</summary>
    /// <param name="priority">The kind of work.</param>
    /// <returns>The scope; dispose it to restore the previous priority.</returns>
    public static IDisposable Use(ApiWorkPriority priority)
    {
        var previous = Scope.Value;
        Scope.Value = priority;
        return new Restore(previous);
    }

    /// <summary>Uses <paramref name="priority"/> unless the caller chose one.</summary>
    internal static IDisposable Default(ApiWorkPriority priority) => Use(Scope.Value ?? priority);

    private sealed class Restore(ApiWorkPriority? previous) : IDisposable
    {
        public void Dispose() => Scope.Value = previous;
    }
}
