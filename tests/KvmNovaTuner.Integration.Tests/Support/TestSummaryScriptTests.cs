using System.Diagnostics;

namespace KvmNovaTuner.Integration.Tests.Support;

/// <summary>scripts/test.sh's summary: the skipped count on the line before the last, the last line exactly "N passed, N failed".</summary>
[TestFixture]
public sealed class TestSummaryScriptTests
{
    // As the trx logger writes it for NUnit: ignored tests are in total, not in executed, and notExecuted stays 0.
    private static string Trx(int passed, int failed, int notExecuted, int error = 0) =>
        $"""<?xml version="1.0" encoding="utf-8"?><TestRun><ResultSummary outcome="Completed"><Counters total="{passed + failed + notExecuted}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="{error}" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" /></ResultSummary></TestRun>""";

    private static async Task<(int ExitCode, string[] Lines)> SummarizeAsync(int extraFailed, params string[] trx)
    {
        var script = RepoFiles.Find("scripts/lib/test-summary.sh");
        Assert.That(script, Is.Not.Null, "scripts/lib/test-summary.sh is part of the checkout");
        var dir = Directory.CreateTempSubdirectory("knt-summary-").FullName;
        try
        {
            for (var i = 0; i < trx.Length; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, $"P{i}.trx"), trx[i]);
            }
            using var process = Process.Start(new ProcessStartInfo("bash", [script!, dir, extraFailed.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Summary_TwoResultFiles_PrintsSkippedSumBeforeTheLastLine()
    {
        var (code, lines) = await SummarizeAsync(0, Trx(10, 0, 3), Trx(5, 0, 4));
        Assert.That(lines[^2], Is.EqualTo("7 skipped"));
        Assert.That(lines[^1], Is.EqualTo("15 passed, 0 failed"));
        Assert.That(code, Is.Zero);
    }

    [Test]
    public async Task Summary_FailuresErrorsAndExtraFailures_AreCountedAsFailedAndExitNonZero()
    {
        var (code, lines) = await SummarizeAsync(1, Trx(10, 2, 0, error: 1), Trx(5, 0, 1));
        Assert.That(lines, Is.EqualTo(new[] { "1 skipped", "15 passed, 4 failed" }));
        Assert.That(code, Is.Not.Zero);
    }

    [Test]
    public async Task Summary_NoTestExecuted_IsNotAPass()
    {
        var (code, lines) = await SummarizeAsync(0);
        Assert.That(lines, Is.EqualTo(new[] { "0 skipped", "0 passed, 1 failed" }));
        Assert.That(code, Is.Not.Zero);
    }
}
