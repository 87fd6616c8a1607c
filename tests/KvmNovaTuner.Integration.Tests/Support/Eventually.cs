namespace KvmNovaTuner.Integration.Tests.Support;

/// <summary>Bounded polling of an in-process condition.</summary>
public static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(timeout), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
