namespace ChatToSalesforce.Pipeline.Internal;

internal sealed class ConversationExporter
{
}
