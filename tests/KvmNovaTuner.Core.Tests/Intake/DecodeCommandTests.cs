using System.Text.Json;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Intake;
using KvmNovaTuner.Core.Decoding;

namespace KvmNovaTuner.Core.Tests.Intake;

public sealed class DecodeCommandTests
{
    [Test]
    public void DecodeJson_CreateEnd_HasExactlyTheContractKeys()
    {
        var line = DecodeCommand.ToJsonLine(NotificationDecoder.Decode(NovaSamples.Line("instance.create.end")).Event!);
        using var doc = JsonDocument.Parse(line);
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name);
        Assert.That(keys, Is.EqualTo(new[] { "format", "event_type", "message_id", "publisher_id", "host", "instance_uuid", "flavor" }));
        var flavor = doc.RootElement.GetProperty("flavor");
        Assert.That(flavor.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "name", "vcpus", "memory_mb", "extra_specs" }));
        Assert.That(flavor.GetProperty("extra_specs").GetProperty("hw:watchdog_action").GetString(), Is.EqualTo("disabled"));
        Assert.That(doc.RootElement.GetProperty("format").GetString(), Is.EqualTo("versioned"));
    }

    [Test]
    public async Task Decode_FileWithBadLine_ExitsOneAndNamesTheLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(path, [NovaSamples.AllLines[0], "{bad"]);
            var stderr = new StringWriter();
            var stdout = new StringWriter();
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            Console.SetOut(stdout);
            Console.SetError(stderr);
            int exit;
            try
            {
                exit = await CliRunner.RunAsync(new System.CommandLine.RootCommand { DecodeCommand.Create() }, ["decode", path, "--json"]);
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
            Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(stderr.ToString().Trim(), Does.StartWith("error: line 2: bad JSON"));
            Assert.That(stderr.ToString().Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(stdout.ToString().Trim().Split('\n'), Has.Length.EqualTo(1));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
