using KvmNovaTuner.Agent.Hooks;

namespace KvmNovaTuner.Core.Tests.Hooks;

public sealed class HookMessageIdTests
{
    private const string Boot = "0b6c1f0e-2f7d-4d3e-9a51-3c4b5a6d7e8f";

    [Test]
    public void For_SameBootAndOperation_IsTheSameId()
    {
        Assert.That(HookMessageId.For(HookXml.Uuid, "started", Boot, 7), Is.EqualTo(HookMessageId.For(HookXml.Uuid.ToUpperInvariant(), "started", Boot, 7)));
    }

    [Test]
    public void For_AnotherOperationBootOrDomainId_IsAnotherId()
    {
        var ids = new[]
        {
            HookMessageId.For(HookXml.Uuid, "started", Boot, 7),
            HookMessageId.For(HookXml.Uuid, "stopped", Boot, 7),
            HookMessageId.For(HookXml.Uuid, "started", Boot, 8),
            HookMessageId.For(HookXml.Uuid, "started", "another-boot", 7),
            HookMessageId.For("00000000-0000-0000-0000-000000000001", "started", Boot, 7),
        };
        Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Length));
    }

    [Test]
    public void For_IsAPrefixedUuidSafeAsAFileName()
    {
        var id = HookMessageId.For(HookXml.Uuid, "started", null, null);
        Assert.Multiple(() =>
        {
            Assert.That(id, Does.StartWith("hook-"));
            Assert.That(Guid.TryParse(id["hook-".Length..], out _), Is.True);
            Assert.That(id.IndexOfAny(Path.GetInvalidFileNameChars()), Is.EqualTo(-1));
        });
    }
}
