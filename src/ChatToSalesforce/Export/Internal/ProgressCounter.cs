namespace ChatToSalesforce.Export.Internal;

internal sealed class ProgressCounter(Action<ExportProgress>? callback)
{
    private int _completed;
    private int _exported;
    private int _skipped;
    private int _failed;

    public void Report(ExportStatus status)
    {
        if (callback is null)
        {
            return;
        }

        _completed++;
        switch (status)
        {
            case ExportStatus.Exported: _exported++; break;
            case ExportStatus.Skipped: _skipped++; break;
            default: _failed++; break;
        }

        callback(new ExportProgress(_completed, _exported, _skipped, _failed));
    }
}
