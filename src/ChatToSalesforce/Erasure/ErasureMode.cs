namespace ChatToSalesforce.Erasure;

/// <summary>How records are erased.</summary>
public enum ErasureMode
{
    /// <summary>Delete the records (files are deleted in both modes: their content cannot be anonymised).</summary>
    Delete,

    /// <summary>Keep the records and replace what identifies the person: the activities' description and subject (the marker stays, so a re-run finds them), the person's name, email and phone.</summary>
    Anonymize,
}
