namespace ChatToSalesforce.Salesforce;

/// <summary>A file to upload as a ContentVersion.</summary>
/// <param name="FileName">The file name (<c>PathOnClient</c>; also the <c>Title</c> without extension).</param>
/// <param name="Content">The bytes.</param>
/// <param name="FirstPublishLocationId">The record the file is linked to.</param>
public sealed record SalesforceFileUpload(string FileName, ReadOnlyMemory<byte> Content, string? FirstPublishLocationId);
