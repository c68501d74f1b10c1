namespace ChatToSalesforce;

/// <summary>Progress of a batch export.</summary>
/// <param name="Completed">Conversations finished so far (exported, skipped or failed).</param>
/// <param name="Exported">Of those, how many were exported.</param>
/// <param name="Skipped">Of those, how many were skipped.</param>
/// <param name="Failed">Of those, how many failed.</param>
public readonly record struct ExportProgress(int Completed, int Exported, int Skipped, int Failed);
