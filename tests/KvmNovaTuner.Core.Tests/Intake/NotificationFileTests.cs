using System.Text;
using KvmNovaTuner.Messaging.Replay;

namespace KvmNovaTuner.Core.Tests.Intake;

public sealed class NotificationFileTests
{
    private static IReadOnlyList<FileMessage> Split(string text) => NotificationFile.Split(Encoding.UTF8.GetBytes(text));

    [Test]
    public void Split_JsonLines_GivesOneMessagePerNonBlankLineWithItsNumber()
    {
        var messages = Split("{\"a\":1}\n\n{\"b\":2}\n{bad\n");
        Assert.That(messages.Select(m => m.Line), Is.EqualTo(new[] { 1, 3, 4 }));
    }

    [Test]
    public void Split_PrettyPrintedDocument_IsOneMessage()
    {
        var messages = Split("{\n    \"event_type\": \"x\",\n    \"payload\": {}\n}\n");
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(messages[0].Body.Span), Does.Contain("payload"));
    }

    [Test]
    public void Split_BrokenMultiLineDocument_IsOneMessageSoTheErrorIsReportedOnce()
    {
        Assert.That(Split("{\n  \"event_type\": \n"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Split_EmptyFile_HasNoMessage()
    {
        Assert.That(Split("\n  \n"), Is.Empty);
    }

    [Test]
    public void Split_RepoSampleFile_Gives104Messages()
    {
        Assert.That(NotificationFile.Split(File.ReadAllBytes(NovaSamples.AllJsonl)), Has.Count.EqualTo(104));
    }
}
