namespace ChatToSalesforce.Export.Internal;

/// <summary>Running totals of a batch's results, reported after each one.</summary>
internal sealed class ProgressCounter(IProgress<ExportProgress> progress)
{
    private int _completed;
    private int _exported;
    private int _skipped;
    private int _failed;

    public void Report(ExportStatus status)
    {
        _completed++;
        switch (status)
        {
            case ExportStatus.Exported: _exported++; break;
            case ExportStatus.Skipped: _skipped++; break;
            default: _failed++; break;
        }

        progress.Report(new ExportProgress(_completed, _exported, _skipped, _failed));
    }
}
