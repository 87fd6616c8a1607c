using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class SysfsChoiceTests
{
    [TestCase("always [madvise] never", "madvise")]
    [TestCase("[always] madvise never", "always")]
    [TestCase("always defer defer+madvise [madvise] never", "madvise")]
    [TestCase("always defer [defer+madvise] madvise never", "defer+madvise")]
    [TestCase("none [mq-deadline] kyber bfq", "mq-deadline")]
    [TestCase("never", "never")]
    [TestCase("never\n", "never")]
    public void Parse_BracketedWord_IsTheCurrentValue(string text, string expected)
    {
        Assert.That(SysfsChoice.Parse(text).Current, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_ListsEveryOptionWithoutBrackets()
    {
        Assert.That(SysfsChoice.Parse("always [madvise] never").Options, Is.EqualTo(new[] { "always", "madvise", "never" }));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("always madvise never")]
    public void Parse_NoBracketAmongSeveral_HasNoCurrentValue(string? text)
    {
        Assert.That(SysfsChoice.Parse(text).Current, Is.Null);
    }

    [Test]
    public void Offers_ReportsWhetherTheKernelListsTheOption()
    {
        var choice = SysfsChoice.Parse("[none] mq-deadline kyber");
        Assert.Multiple(() =>
        {
            Assert.That(choice.Offers("kyber"), Is.True);
            Assert.That(choice.Offers("bfq"), Is.False);
        });
    }
}
