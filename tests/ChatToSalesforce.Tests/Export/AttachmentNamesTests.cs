using ChatToSalesforce.Export.Internal;

namespace ChatToSalesforce.Tests.Export;

public class AttachmentNamesTests
{
    [Theory]
    [InlineData("CON")]
    [InlineData("nul.txt")]
    [InlineData("COM5.txt")]
    [InlineData("com9")]
    [InlineData("LPT4.log")]
    [InlineData("COM0.csv")]
    [InlineData("LPT\u00B9.txt")]
    [InlineData("aux .txt")]
    public void Safe_ReservedDeviceName_BecomesAttachmentN(string name)
    {
        // Regression: the list stopped at COM4 and LPT3.
        AttachmentNames.Safe(name, 3).Should().StartWith("attachment-3");
    }

    [Theory]
    [InlineData("COM10.txt")]
    [InlineData("console.log")]
    [InlineData("LPT.txt")]
    public void Safe_NameThatOnlyLooksLikeADevice_IsKept(string name)
    {
        AttachmentNames.Safe(name, 3).Should().Be(name);
    }
}
