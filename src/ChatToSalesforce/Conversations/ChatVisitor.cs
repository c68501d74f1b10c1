namespace ChatToSalesforce;

/// <summary>The visitor of a chat: the person exported as a Contact or Lead.</summary>
public sealed class ChatVisitor
{
    /// <summary>Gets the first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Gets the last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Gets the full name, used (split on the last space) when <see cref="FirstName"/>/<see cref="LastName"/> are not known.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the email address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the company name.</summary>
    public string? Company { get; init; }

    /// <inheritdoc />
    public override string ToString() => "ChatVisitor";
}
