namespace ChatToSalesforce.Cli.Tests;

public sealed class EraseCommandTests
{
    [Fact]
    public async Task Erase_on_the_emulator_deletes_the_seeded_persons_SDK_activities_and_a_second_run_finds_nothing()
    {
        var result = await CliRunner.RunAsync(
            ["erase", "--email", "ada@example.com", "--emulator"],
            onEmulator: org =>
            {
                var contact = org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" });
                org.Insert("Task", new { Subject = "Chat with Ada – web [chat c-1]", WhoId = contact });
                org.Insert("Task", new { Subject = "Call back", WhoId = contact });
            });

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("deleted").And.Contain("Task").And.Contain("Done");
        result.Emulator!.Records("Task").Should().ContainSingle(t => (string?)t["Subject"] == "Call back");
    }

    [Fact]
    public async Task Erase_with_nothing_to_erase_says_so()
    {
        var result = await CliRunner.RunAsync(["erase", "--email", "nobody@example.com", "--emulator"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Nothing to erase");
    }
}
