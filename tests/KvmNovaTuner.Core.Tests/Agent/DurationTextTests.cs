using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>Durations in the configuration file.</summary>
public sealed class DurationTextTests
{
    [TestCase("30", 30)]
    [TestCase("30s", 30)]
    [TestCase("2.5s", 2.5)]
    [TestCase("5m", 300)]
    [TestCase("1h", 3600)]
    [TestCase(" 10S ", 10)]
    public void TryParse_Accepts(string text, double seconds)
    {
        Assert.That(DurationText.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("")]
    [TestCase("s")]
    [TestCase("5d")]
    [TestCase("-1s")]
    [TestCase("ten")]
    public void TryParse_Rejects(string text) => Assert.That(DurationText.TryParse(text, out _), Is.False);
}
