using KvmNovaTuner.Integration.Tests.Agent;

namespace KvmNovaTuner.Integration.Tests.RealKvm;

/// <summary>
/// The agent binary as a compute host runs it against the real libvirtd Nova's compute uses: its own state directory,
/// the broker, the compute host's name, the <c>tuner</c> cloud, a host root mirroring this machine (see
/// <see cref="HostRootMirror"/>), and the libvirtd's installed qemu hook pointed at this agent's socket and spool.
/// </summary>
internal sealed class RealKvmAgent : IDisposable
{
    private readonly RealKvmHost _host;
    private TunerProcess? _process;

    public RealKvmAgent(RealKvmHost host)
    {
        _host = host;
        WorkDir = Directory.CreateTempSubdirectory("knt-kvm-").FullName;
        HostRootMirror.Write(Path.Combine(WorkDir, "root"), CpuDedicatedSet, CpuSharedSet);
    }

    /// <summary>nova.sh's defaults for a 2-CPU host: CPU 1 for pinned guests, CPU 0 shared and housekeeping.</summary>
    public static string CpuDedicatedSet => Environment.GetEnvironmentVariable("KNT_NOVA_CPU_DEDICATED_SET") ?? "1";

    public static string CpuSharedSet => Environment.GetEnvironmentVariable("KNT_NOVA_CPU_SHARED_SET") ?? "0";

    public string WorkDir { get; }

    public TunerProcess Process => _process ?? throw new InvalidOperationException("the agent is not started");

    public string Output => _process is null ? "(agent not started)" : $"agent stderr:\n{_process.Stderr}\nagent stdout:\n{_process.Stdout}";

    public void Start()
    {
        PointHookAtThisAgent();
        _process = TunerProcess.Start([
            "agent", "--broker-url", _host.Stack.BrokerUrl, "--host", _host.Stack.ComputeHost, "--state-dir", Path.Combine(WorkDir, "state"),
            "--set", "agent.health_listen=127.0.0.1:0", "--set", $"libvirt.uri={_host.LibvirtUri}", "--set", $"host.root={WorkDir}/root",
            "--set", $"ovs.ovsdb={_host.Stack.Ovsdb}", "--set", $"openstack.cloud={_host.Stack.TunerCloud}", "--set", $"openstack.clouds_yaml={_host.Stack.CloudsYaml}",
            "--set", $"agent.spool_dir={WorkDir}/spool", "--set", $"agent.hook_socket={WorkDir}/agent.sock",
            "--set", "agent.reconcile_interval=1800s"]);
    }

    /// <summary>
    /// libvirt.sh installed the shipped hook wrapper with its last step calling KNT_LIBVIRTD_HOOK_TARGET; this makes that
    /// target run the built <c>kvm-nova-tuner hook</c> against this agent (replaced atomically: libvirtd may be calling it).
    /// </summary>
    private void PointHookAtThisAgent()
    {
        var script = $"#!/bin/sh\nexec dotnet '{TunerProcess.Executable}' \"$@\" --socket '{WorkDir}/agent.sock' --spool-dir '{WorkDir}/spool'\n";
        var temp = _host.HookTarget + ".new";
        File.WriteAllText(temp, script);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, (UnixFileMode)0b111_101_101);
        File.Move(temp, _host.HookTarget, overwrite: true);
    }

    private void RestoreHookStub()
    {
        var temp = _host.HookTarget + ".new";
        File.WriteAllText(temp, "#!/bin/sh\ncat >/dev/null\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, (UnixFileMode)0b111_101_101);
        File.Move(temp, _host.HookTarget, overwrite: true);
    }

    public async Task<int> StopAsync()
    {
        Process.Terminate();
        return await Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        RestoreHookStub();
        _process?.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
