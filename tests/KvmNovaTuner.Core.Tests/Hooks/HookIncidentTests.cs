using System.Net.Sockets;
using System.Text;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Tests.OpenStack;

namespace KvmNovaTuner.Core.Tests.Hooks;

/// <summary>What a hook call that let the guest start says about what went wrong: syslog, stderr, and the agent's next start.</summary>
public sealed class HookIncidentTests
{
    [Test]
    public async Task IncidentLeftInTheSpool_IsLoggedAtTheListenersStartAndRemoved()
    {
        var loggers = new ListLoggerFactory();
        await using var h = new ListenerHarness(loggers: loggers);
        Assert.That(new HookSpool(h.Spool).TryWriteIncident("kvm-nova-tuner hook: configuration ignored, defaults used: bad INI", DateTimeOffset.UnixEpoch), Is.True);

        await h.StartAsync();

        Assert.Multiple(() =>
        {
            Assert.That(loggers.Lines, Has.Some.Contains("Warning").And.Contains("configuration ignored, defaults used: bad INI"));
            Assert.That(Directory.GetFiles(h.Spool, "incident-*"), Is.Empty, "reported once");
        });
    }

    [Test]
    public void TryWriteIncident_SpoolIsAFile_ReturnsFalseInsteadOfThrowing()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.That(new HookSpool(file).TryWriteIncident("x", DateTimeOffset.UnixEpoch), Is.False);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void OperatorLog_WritesTheLineToStderrAndToSyslogAsDaemonWarning()
    {
        var dir = Directory.CreateTempSubdirectory("knt-syslog-").FullName;
        var path = Path.Combine(dir, "log");
        using var syslog = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        syslog.Bind(new UnixDomainSocketEndPoint(path));
        var stderr = new StringWriter();

        new HookOperatorLog(path, stderr).Report("kvm-nova-tuner hook: spool unusable");

        var buffer = new byte[4096];
        syslog.ReceiveTimeout = 5000;
        var n = syslog.Receive(buffer);
        Directory.Delete(dir, recursive: true);
        Assert.Multiple(() =>
        {
            Assert.That(stderr.ToString(), Does.Contain("spool unusable"));
            Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Does.Match(@"^<28>kvm-nova-tuner-hook\[\d+\]: kvm-nova-tuner hook: spool unusable$"));
        });
    }

    [Test]
    public void OperatorLog_NoSyslogSocket_StillWritesStderrAndDoesNotThrow()
    {
        var stderr = new StringWriter();

        new HookOperatorLog("/nonexistent/dev/log", stderr).Report("line");

        Assert.That(stderr.ToString(), Does.Contain("line"));
    }
}
