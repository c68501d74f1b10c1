namespace ChatToSalesforce.Testing;

/// <summary>What a duplicate rule does when a record matches an existing one.</summary>
public enum DuplicateRuleAction
{
    /// <summary>The save fails with <c>DUPLICATES_DETECTED</c> (<c>allowSave=false</c>).</summary>
    Block,

    /// <summary>The save fails with <c>DUPLICATES_DETECTED</c> (<c>allowSave=true</c>) unless the request sends <c>Sforce-Duplicate-Rule-Header: allowSave=true</c>.</summary>
    Alert,
}
