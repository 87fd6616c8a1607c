using System.CommandLine;
using KvmNovaTuner.Cli.Progress;
using KvmNovaTuner.Core.Progress;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Progress;

/// <summary>The progress line of long CLI verbs, on a fake clock and a StringWriter standing in for stderr.</summary>
public sealed class ProgressRendererTests
{
    private const string Erase = "\u001b[K";
    private static readonly ProgressWording Reconcile = new("reconcile", "domains");

    private static (ProgressRenderer Renderer, StringWriter Err, FakeTimeProvider Clock) Create(bool terminal)
    {
        var clock = new FakeTimeProvider();
        var err = new StringWriter { NewLine = "\n" };
        return (new ProgressRenderer(err, terminal, Reconcile, clock), err, clock);
    }

    [Test]
    public void Wording_ReconcileProgress_ReadsAsDoneOfTotalChangedAndFailed()
    {
        Assert.That(Reconcile.Format(new WorkProgress(120, 500, 3, 0)), Is.EqualTo("reconcile: 120/500 domains, 3 changed, 0 failed"));
    }

    [Test]
    public void Terminal_ReportsFasterThanTheInterval_RewritesOneLineAtMostEvery100Ms()
    {
        var (renderer, err, clock) = Create(terminal: true);

        renderer.Report(new WorkProgress(1, 500));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        renderer.Report(new WorkProgress(2, 500));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        renderer.Report(new WorkProgress(3, 500, 1));

        Assert.That(err.ToString(), Is.EqualTo(
            $"\rreconcile: 1/500 domains, 0 changed, 0 failed{Erase}" +
            $"\rreconcile: 3/500 domains, 1 changed, 0 failed{Erase}"));
    }

    [Test]
    public void Terminal_Complete_RewritesTheLineWithTheFinalCountsAndEndsIt()
    {
        var (renderer, err, clock) = Create(terminal: true);
        renderer.Report(new WorkProgress(1, 2));
        clock.Advance(TimeSpan.FromMilliseconds(10));
        renderer.Report(new WorkProgress(2, 2, 1, 1)); // throttled

        renderer.Complete();
        renderer.Complete();

        Assert.That(err.ToString(), Does.EndWith($"\rreconcile: 2/2 domains, 1 changed, 1 failed{Erase}\n"));
        Assert.That(err.ToString().Split('\n'), Has.Length.EqualTo(2), "one line, ended once");
    }

    [Test]
    public void Plain_ShortRun_PrintsOnlyTheFinalSummary()
    {
        var (renderer, err, clock) = Create(terminal: false);

        for (var i = 1; i <= 40; i++)
        {
            renderer.Report(new WorkProgress(i, 40, i / 10));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        renderer.Complete();

        Assert.That(err.ToString(), Is.EqualTo("reconcile: 40/40 domains, 4 changed, 0 failed\n"));
    }

    [Test]
    public void Plain_LongRun_OnePlainLineEveryFiveSecondsThenTheSummary()
    {
        var (renderer, err, clock) = Create(terminal: false);

        for (var i = 1; i <= 12; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            renderer.Report(new WorkProgress(i, 12));
        }
        renderer.Complete();

        Assert.That(err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "reconcile: 5/12 domains, 0 changed, 0 failed",
            "reconcile: 10/12 domains, 0 changed, 0 failed",
            "reconcile: 12/12 domains, 0 changed, 0 failed",
        }));
        Assert.That(err.ToString(), Does.Not.Contain("\r").And.Not.Contain("\u001b"), "no terminal control characters in a pipe");
    }

    [Test]
    public void Complete_NothingReported_WritesNothing()
    {
        var (renderer, err, _) = Create(terminal: true);

        renderer.Complete();

        Assert.That(err.ToString(), Is.Empty);
    }

    [Test]
    public void Abandon_OpenTerminalLine_EndsItWithoutASummarySoTheErrorStartsOnItsOwnLine()
    {
        var (renderer, err, _) = Create(terminal: true);
        renderer.Report(new WorkProgress(1, 3));

        renderer.Abandon();
        renderer.Complete();

        Assert.That(err.ToString(), Is.EqualTo($"\rreconcile: 1/3 domains, 0 changed, 0 failed{Erase}\n"));
    }

    [Test]
    public async Task Run_WorkThrows_AbandonsTheLineAndRethrows()
    {
        var (renderer, err, _) = Create(terminal: true);

        Assert.ThrowsAsync<InvalidOperationException>(() => CliProgress.RunAsync<int>(renderer, progress =>
        {
            progress!.Report(new WorkProgress(1, 3));
            throw new InvalidOperationException("libvirt went away");
        }));
        var done = await CliProgress.RunAsync(null, _ => Task.FromResult(7));

        Assert.That(err.ToString(), Does.EndWith($"{Erase}\n"));
        Assert.That(done, Is.EqualTo(7));
    }

    [Test]
    public void NoProgressOption_Given_NoRenderer()
    {
        var command = new RootCommand { CliProgress.NoProgress };

        var off = CliProgress.For(command.Parse(["--no-progress"]), Reconcile);

        Assert.That(off, Is.Null);
    }
}
