namespace ChatToSalesforce;

/// <summary>What is redacted from a conversation before anything of it leaves the process (docs/redaction.md).</summary>
/// <remarks>
/// Redaction applies to the message texts, <see cref="Conversation.Notes"/>, <see cref="Conversation.WrapUp"/> and the
/// values of <see cref="Conversation.CustomFields"/>, so to the transcript, the full-transcript file and every mapped field
/// value taken from them. It does not touch the visitor's and agent's identity fields (they find the person and the owner)
/// or attachments. The transcript says how many values were redacted, never what they were. Everything is off by default.
/// </remarks>
public sealed class RedactionOptions
{
    /// <summary>Gets or sets whether payment card numbers are redacted: 13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn check.</summary>
    /// <value>Defaults to <see langword="false"/>. Digit runs that fail the Luhn check (order numbers, phone numbers) are kept.</value>
    public bool PaymentCards { get; set; }

    /// <summary>Gets or sets whether IBANs are redacted: a country code, two check digits and 11 to 30 letters or digits (written in capitals, optionally in groups of four) that pass the ISO 7064 mod-97 check.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool Ibans { get; set; }

    /// <summary>Gets or sets whether national identification numbers of well-known shapes are redacted: US Social Security numbers written <c>123-45-6789</c> and UK National Insurance numbers (<c>QQ 12 34 56 C</c>).</summary>
    /// <value>Defaults to <see langword="false"/>. Use <see cref="Patterns"/> for other countries' numbers.</value>
    public bool NationalIds { get; set; }

    /// <summary>Gets or sets your own patterns (.NET regular expressions); every match is redacted.</summary>
    /// <value>Empty by default. A pattern that does not compile, or matches empty text, fails at start-up with its name.</value>
    public IList<RedactionPattern> Patterns { get; set; } = [];

    /// <summary>Gets or sets the text that replaces each redacted value.</summary>
    /// <value>Defaults to <c>[redacted]</c>.</value>
    public string Replacement { get; set; } = "[redacted]";

    /// <summary>Gets whether anything is redacted at all.</summary>
    internal bool IsEnabled => PaymentCards || Ibans || NationalIds || Patterns.Count > 0;
}
