namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>
/// The built executable given a bad configuration file or an unusable state/spool directory: one line naming the
/// file or directory and the problem, exit 2, never a .NET stack trace (issue 14) — and the hook still exits 0.
/// </summary>
public sealed class ConfigurationErrorProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("knt-cfgerr-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>A bad configuration of each kind, as (name, path of the --config argument).</summary>
    private string BadConfig(string kind)
    {
        var path = Path.Combine(_dir, kind + ".conf");
        switch (kind)
        {
            case "unparsable": File.WriteAllText(path, "[agent\nstate_dir\n"); break;
            case "duplicate": File.WriteAllText(path, "[agent]\nstate_dir = /a\nstate_dir = /b\n"); break;
            case "directory": Directory.CreateDirectory(path); break;
            // Tests run as root here, which reads any mode-000 file: /proc/self/mem exists and fails every read (EIO).
            case "unreadable": return "/proc/self/mem";
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
        return path;
    }

    private static async Task<(int Code, string Stderr, string Stdout)> RunAsync(params string[] args)
    {
        using var p = TunerProcess.Start(args, stdin: "");
        var code = await p.WaitForExitAsync(Limit);
        return (code, p.Stderr, p.Stdout);
    }

    private static void AssertOneLineError(int code, string stderr, string names)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2), stderr);
            Assert.That(stderr, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "));
            Assert.That(lines.Count(l => l.StartsWith("error:", StringComparison.Ordinal)), Is.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain(names));
        });
    }

    [TestCase("unparsable", "not valid INI")]
    [TestCase("duplicate", "state_dir")]
    [TestCase("directory", "is a directory")]
    [TestCase("unreadable", "cannot be read")]
    public async Task ConfigShow_BadConfigurationFile_OneLineNamingTheFileAndExit2(string kind, string problem)
    {
        var file = BadConfig(kind);

        var (code, stderr, _) = await RunAsync("config", "show", "--config", file);

        AssertOneLineError(code, stderr, file);
        Assert.That(stderr, Does.Contain(problem));
    }

    [TestCase("unparsable")]
    [TestCase("duplicate")]
    [TestCase("directory")]
    [TestCase("unreadable")]
    public async Task Agent_BadConfigurationFile_ExitsWith2AtStartInsteadOfRunning(string kind)
    {
        var file = BadConfig(kind);

        var (code, stderr, _) = await RunAsync("agent", "--config", file);

        AssertOneLineError(code, stderr, file);
    }

    [TestCase("state_dir")]
    [TestCase("spool_dir")]
    public async Task Agent_StateOrSpoolDirectoryIsAFile_OneLineNamingTheSettingAndExit2(string key)
    {
        var notADirectory = Path.Combine(_dir, "a-file");
        File.WriteAllText(notADirectory, "");

        var (code, stderr, _) = await RunAsync(
            "agent", "--set", $"agent.{key}={notADirectory}", "--set", $"agent.state_dir={(key == "state_dir" ? notADirectory : Path.Combine(_dir, "state"))}",
            "--set", $"agent.hook_socket={Path.Combine(_dir, "agent.sock")}", "--set", "agent.health_listen=127.0.0.1:0",
            "--broker-url", "amqp://guest:guest@127.0.0.1:1/", "--set", "libvirt.uri=test:///default");

        AssertOneLineError(code, stderr, notADirectory);
        Assert.That(stderr, Does.Contain($"[agent] {key}"));
    }

    [Test]
    public async Task ConfigShow_UnknownKey_IsWarnedOnStderr()
    {
        var file = Path.Combine(_dir, "typo.conf");
        File.WriteAllText(file, "[agent]\nstate_dri = /var/lib/x\n");

        var (code, stderr, _) = await RunAsync("config", "show", "--config", file);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(stderr, Does.Contain("warning: unknown setting [agent] state_dri"));
        });
    }
}
