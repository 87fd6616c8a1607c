using KvmNovaTuner.Libvirt;

namespace KvmNovaTuner.Core.Tests.Libvirt;

public sealed class CpuSetTests
{
    [TestCase("0-3,^2,8", "0-1,3,8")]
    [TestCase("5", "5")]
    [TestCase("3,1,2", "1-3")]
    [TestCase(" 0 , 2-4 ", "0,2-4")]
    public void Parse_ThenToString_GivesTheShortestLibvirtSpelling(string text, string expected) =>
        Assert.That(CpuSet.Parse(text).ToString(), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("a-b")]
    [TestCase("4-2")]
    [TestCase("^1")]
    public void Parse_BadText_ThrowsFormatExceptionNamingIt(string text) =>
        Assert.That(() => CpuSet.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains($"'{text}'"));

    [Test]
    public void Bitmap_RoundTripsAndSpansWholeBytes()
    {
        var set = CpuSet.Parse("0,9,15");

        var map = set.ToBitmap(16);

        Assert.That(map, Is.EqualTo(new byte[] { 0b0000_0001, 0b1000_0010 }));
        Assert.That(CpuSet.FromBitmap(map), Is.EqualTo(set));
    }

    [Test]
    public void ToBitmap_CpuBeyondTheHost_IsRefused() =>
        Assert.That(() => CpuSet.Parse("8").ToBitmap(8), Throws.TypeOf<FormatException>().With.Message.Contains("8 CPUs"));

    [Test]
    public void Equality_IgnoresSpelling() =>
        Assert.That(CpuSet.Parse("0-2"), Is.EqualTo(CpuSet.Parse("2,1,0")));
}
