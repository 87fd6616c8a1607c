using System.Diagnostics;
using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Integration.Tests.Agent;
using KvmNovaTuner.Integration.Tests.Ovs;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>
/// The agent binary as a compute host runs it, in a private work directory: its libvirt side is a test-driver host
/// holding one Nova-style domain per booted server (uuid = the server's id, Nova's metadata, a tap whose OVSDB port
/// carries <c>external_ids:vm-uuid</c>), a generated sysfs tree, its own state directory, the broker, the compute
/// host name Nova uses and the <c>tuner</c> cloud of clouds.yaml.
/// </summary>
internal sealed class EndToEndAgent : IDisposable
{
    private readonly EndToEndStack _stack;
    private readonly List<InstanceEvent> _instances = [];
    private TunerProcess? _process;

    public EndToEndAgent(EndToEndStack stack)
    {
        _stack = stack;
        WorkDir = Directory.CreateTempSubdirectory("knt-e2e-").FullName;
        DemoHost.WriteSysfs(Path.Combine(WorkDir, "root"));
    }

    public string WorkDir { get; }

    public string StateDir => Path.Combine(WorkDir, "state");

    /// <summary>The agent's intake journal (one row per handled notification).</summary>
    public string JournalDb => Path.Combine(StateDir, KvmNovaTuner.Messaging.Pipeline.IntakeRuntime.DatabaseFile);

    public TunerProcess Process => _process ?? throw new InvalidOperationException("the agent is not started");

    /// <summary>Defines the domain Nova's libvirt driver would have defined for <paramref name="serverId"/>, and its OVSDB port.</summary>
    public async Task AddInstanceAsync(string serverId, string name, KvmNovaTuner.OpenStack.Nova.NovaFlavor flavor)
    {
        var tap = "tap" + serverId.Replace("-", "", StringComparison.Ordinal)[..11];
        var mac = "fa:16:3e:" + string.Join(':', serverId.Replace("-", "", StringComparison.Ordinal).Substring(26, 6).Chunk(2).Select(c => new string(c)));
        _instances.Add(new InstanceEvent
        {
            Format = NotificationFormat.Versioned,
            EventType = "instance.create.end",
            MessageId = serverId,
            InstanceUuid = serverId,
            DisplayName = name,
            Flavor = new FlavorInfo(flavor.Name, flavor.Id, flavor.Vcpus, flavor.RamMb, flavor.ExtraSpecs),
            Ports = [new PortInfo(tap, null, mac)],
        });
        await VsctlAsync("--may-exist", "add-br", Bridge, "--", "--may-exist", "add-port", Bridge, tap,
            "--", "set", "Interface", tap, $"external_ids:iface-id={Guid.NewGuid()}", $"external_ids:vm-uuid={serverId}");
    }

    private string Bridge => "kbe" + Path.GetFileName(WorkDir)[^6..].Replace("-", "", StringComparison.Ordinal);

    /// <summary>Writes the host file with every instance added so far and starts the agent on it.</summary>
    public void Start(TimeSpan reconcileInterval)
    {
        var uri = DemoHost.WriteLibvirtHost(WorkDir, _instances);
        _process = TunerProcess.Start([
            "agent", "--broker-url", _stack.BrokerUrl, "--host", _stack.ComputeHost, "--state-dir", StateDir,
            "--set", "agent.health_listen=127.0.0.1:0", "--set", $"libvirt.uri={uri}", "--set", $"host.root={WorkDir}/root",
            "--set", $"ovs.ovsdb={_stack.Ovsdb}", "--set", $"openstack.cloud={_stack.TunerCloud}", "--set", $"openstack.clouds_yaml={_stack.CloudsYaml}",
            "--set", $"agent.spool_dir={WorkDir}/spool", "--set", $"agent.hook_socket={WorkDir}/agent.sock",
            "--set", $"agent.reconcile_interval={(int)reconcileInterval.TotalSeconds}s"]);
    }

    /// <summary>Stops the agent with SIGTERM (bounded) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        Process.Terminate();
        return await Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The agent's output, for failure messages.</summary>
    public string Output => _process is null ? "(agent not started)" : $"agent stderr:\n{_process.Stderr}\nagent stdout:\n{_process.Stdout}";

    private static async Task VsctlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("ovs-vsctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add($"--db={OvsTestBed.RequireAddress()}");
        info.ArgumentList.Add("--no-wait");
        info.ArgumentList.Add("--timeout=30");
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (p.ExitCode != 0) throw new InvalidOperationException($"ovs-vsctl {string.Join(' ', args)} failed: {await stderr}");
    }

    /// <summary>Removes this agent's bridge (its ports and the tuner's QoS rows stay only until the next OVSDB reset).</summary>
    public Task DeleteBridgeAsync() => VsctlAsync("--if-exists", "del-br", Bridge);

    public void Dispose()
    {
        _process?.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
