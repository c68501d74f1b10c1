namespace ChatToSalesforce.Actions;

/// <summary>The branch a bot takes after an action.</summary>
public enum BotActionOutcome
{
    /// <summary>A record was found; its values are in <see cref="BotActionResult.Values"/>.</summary>
    Found,

    /// <summary>Nothing matched: a normal outcome (the bot's "not found" branch).</summary>
    NotFound,

    /// <summary>A record was created; its id is <see cref="BotActionResult.RecordId"/>.</summary>
    Created,

    /// <summary>The record the key field found was updated.</summary>
    Updated,

    /// <summary>The action failed; see <see cref="BotActionResult.Failure"/>. Nothing was written.</summary>
    Failed,
}
