using System.Diagnostics;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>
/// A private ovsdb-server and an ovs-vswitchd (userspace datapath) in a network namespace of its own, with one
/// tap device, all under a temp dir: what it takes to see QoS reach the kernel on a host without the OVS module.
/// Every process is stopped by its pid on dispose.
/// </summary>
internal sealed class VswitchdSandbox : IAsyncDisposable
{
    private readonly string _dir;
    private Process? _namespace;

    private VswitchdSandbox(string dir, string tap)
    {
        _dir = dir;
        Tap = tap;
    }

    public string Tap { get; }

    public string Address => $"unix:{_dir}/db.sock";

    /// <summary>Starts the sandbox, or returns the reason it cannot run here.</summary>
    public static async Task<(VswitchdSandbox? Sandbox, string? Reason)> TryStartAsync(string instanceUuid)
    {
        if (!File.Exists("/usr/sbin/ovs-vswitchd") || !File.Exists("/usr/bin/unshare"))
        {
            return (null, "ovs-vswitchd or unshare is not installed");
        }
        var dir = Directory.CreateTempSubdirectory("knt-vswitchd-").FullName;
        var sandbox = new VswitchdSandbox(dir, "tapk0");
        try
        {
            sandbox._namespace = Process.Start(new ProcessStartInfo("unshare", ["-n", "bash", "-c",
                $"ip link set lo up && ip tuntap add dev {sandbox.Tap} mode tap && ip link set {sandbox.Tap} up && echo ready && exec sleep 600"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var ready = await sandbox._namespace.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (ready != "ready")
            {
                return (null, await sandbox.FailAsync($"no private network namespace with a tap: {await sandbox._namespace.StandardError.ReadToEndAsync()}"));
            }
            await RunAsync("ovsdb-tool", "create", $"{dir}/conf.db", "/usr/share/openvswitch/vswitch.ovsschema");
            await RunAsync("ovsdb-server", $"{dir}/conf.db", $"--remote=punix:{dir}/db.sock", $"--pidfile={dir}/ovsdb.pid", "--detach",
                $"--unixctl={dir}/ovsdb.ctl", $"--log-file={dir}/ovsdb.log");
            await RunAsync("ovs-vsctl", $"--db={sandbox.Address}", "--no-wait", "init");
            await RunAsync("nsenter", "-t", $"{sandbox._namespace.Id}", "-n", "env", $"OVS_RUNDIR={dir}", $"OVS_DBDIR={dir}", "ovs-vswitchd", sandbox.Address,
                $"--pidfile={dir}/vswitchd.pid", "--detach", $"--log-file={dir}/vswitchd.log", $"--unixctl={dir}/vswitchd.ctl");
            await RunAsync("ovs-vsctl", $"--db={sandbox.Address}", "--timeout=20", "add-br", "br-knt", "--", "set", "Bridge", "br-knt", "datapath_type=netdev",
                "--", "add-port", "br-knt", sandbox.Tap, "--", "set", "Interface", sandbox.Tap, $"external_ids:vm-uuid={instanceUuid}");
            return (sandbox, null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return (null, await sandbox.FailAsync(e.Message));
        }
    }

    /// <summary>The tap's htb classes as the kernel reports them (<c>tc class show</c> inside the namespace).</summary>
    public Task<string> TcClassesAsync() => RunAsync("nsenter", "-t", $"{_namespace!.Id}", "-n", "tc", "class", "show", "dev", Tap);

    public async ValueTask DisposeAsync()
    {
        foreach (var pidFile in new[] { "vswitchd.pid", "ovsdb.pid" })
        {
            var path = Path.Combine(_dir, pidFile);
            if (File.Exists(path) && int.TryParse(await File.ReadAllTextAsync(path), out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
        if (_namespace is { HasExited: false })
        {
            _namespace.Kill();
            await _namespace.WaitForExitAsync();
        }
        _namespace?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> FailAsync(string reason)
    {
        await DisposeAsync();
        return reason;
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await stderr}");
        }
        return await stdout;
    }
}
