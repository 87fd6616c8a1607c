using System.Diagnostics;
using System.Text;

namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>
/// Runs the built kvm-nova-tuner executable (copied next to the tests) as a child process, collecting its
/// output and letting tests wait for a line, send SIGTERM and await the exit — all with bounded waits.
/// </summary>
internal sealed class TunerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    private TunerProcess(Process process) => _process = process;

    public static string Executable => Path.Combine(TestContext.CurrentContext.TestDirectory, "kvm-nova-tuner.dll");

    public static TunerProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Executable);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var tuner = new TunerProcess(process);
        process.OutputDataReceived += (_, e) => tuner.OnLine(tuner._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => tuner.OnLine(tuner._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return tuner;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }

    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

    private void OnLine(StringBuilder sink, string? line)
    {
        if (line is null) return;
        List<TaskCompletionSource<string>> hits;
        lock (_gate)
        {
            sink.AppendLine(line);
            hits = _waiters.Where(w => w.Match(line)).Select(w => w.Done).ToList();
        }
        foreach (var h in hits) h.TrySetResult(line);
    }

    /// <summary>The first output line (stdout or stderr) containing <paramref name="text"/>, within <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = (_stdout.ToString() + _stderr).Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (existing is not null) return existing;
            _waiters.Add((l => l.Contains(text, StringComparison.Ordinal), done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no line containing '{text}' within {timeout}; stderr:\n{Stderr}\nstdout:\n{Stdout}");
        }
    }

    /// <summary>The agent's /healthz and /metrics address, from its start-up log line.</summary>
    public async Task<Uri> HealthEndpointAsync(TimeSpan timeout)
    {
        var line = await WaitForLineAsync("Serving /healthz and /metrics on http://", timeout);
        return new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim() + "/");
    }

    /// <summary>Sends SIGTERM (as systemd and the kubelet do) with the kill tool.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
