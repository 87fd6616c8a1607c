using System.Diagnostics;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Integration.Tests.Support;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>
/// Rows for one test in the real ovsdb-server (KNT_OVSDB_SOCKET): a bridge of its own with VM ports tagged
/// like os-vif does (<c>external_ids:vm-uuid</c>), created and checked with <c>ovs-vsctl --no-wait</c>
/// so that what the tuner wrote is read back by an independent tool.
/// </summary>
internal sealed class OvsTestBed
{
    private static int _counter;

    private OvsTestBed(string address, string bridge, string instanceUuid, IReadOnlyList<string> taps)
    {
        Address = address;
        Bridge = bridge;
        InstanceUuid = instanceUuid;
        Taps = taps;
    }

    public string Address { get; }
    public string Bridge { get; }
    public string InstanceUuid { get; }
    public IReadOnlyList<string> Taps { get; }

    public static string RequireAddress() => ServiceEnvironment.Require("KNT_OVSDB_SOCKET", "ovsdb-server");

    /// <summary>A bridge with <paramref name="ports"/> VM ports of one new instance; <paramref name="type"/> is the Interface type ("" = system).</summary>
    public static async Task<OvsTestBed> CreateAsync(int ports = 1, string type = "", bool tagVmUuid = true)
    {
        var address = RequireAddress();
        var n = Interlocked.Increment(ref _counter);
        var id = $"{Environment.ProcessId % 10000}{n}";
        var bridge = $"kbr{id}";
        var instance = Guid.NewGuid().ToString();
        var taps = Enumerable.Range(0, ports).Select(i => $"tap{id}x{i}").ToList();
        var args = new List<string> { "add-br", bridge };
        foreach (var tap in taps)
        {
            args.AddRange(["--", "add-port", bridge, tap, "--", "set", "Interface", tap, $"external_ids:iface-id={Guid.NewGuid()}"]);
            if (tagVmUuid)
            {
                args.Add($"external_ids:vm-uuid={instance}");
            }
            if (type.Length > 0)
            {
                args.Add($"type={type}");
            }
        }
        var bed = new OvsTestBed(address, bridge, instance, taps);
        await bed.VsctlAsync([.. args]);
        return bed;
    }

    public Task DeleteBridgeAsync() => VsctlAsync("--if-exists", "del-br", Bridge);

    /// <summary>Removes the tuner's rows of this instance and the bridge, so that tests leave no rows behind.</summary>
    public async Task CleanupAsync(KvmNovaTuner.Ovs.Qos.OvsQosExecutor executor)
    {
        await executor.RemoveInstanceAsync(InstanceUuid);
        await DeleteBridgeAsync();
    }

    /// <summary>Runs <c>ovs-vsctl --no-wait</c> against the test server and returns its trimmed output.</summary>
    public async Task<string> VsctlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ovs-vsctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { $"--db={Address}", "--no-wait", "--timeout=20" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ovs-vsctl {string.Join(' ', args)} failed: {await stderr}");
        }
        return (await stdout).Trim();
    }

    /// <summary>One column of one record, as ovs-vsctl prints it (strings unquoted).</summary>
    public async Task<string> GetAsync(string table, string record, string column) =>
        (await VsctlAsync("get", table, record, column)).Trim('"');

    /// <summary>How many rows a table has (all of them, not only this test's).</summary>
    public async Task<int> CountAsync(string table) =>
        (await VsctlAsync("--columns=_uuid", "--format=csv", "--no-headings", "list", table)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Rows of <paramref name="table"/> whose external_ids carry this instance's tuner mark.</summary>
    public async Task<int> CountMarkedAsync(string table) =>
        (await VsctlAsync("--columns=_uuid", "--format=csv", "--no-headings", "find", table, $"external_ids:kvm-nova-tuner\\:instance={InstanceUuid}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public Plan Plan(params PlanAction[] actions) => new(InstanceUuid, "instance.update", "test-host", actions, []);

    /// <summary>Runs the actions as one plan of this instance.</summary>
    public Task<IReadOnlyList<ActionResult>> ApplyAsync(IActionExecutor executor, params PlanAction[] actions) =>
        executor.ExecuteAsync(Plan(actions), actions, false);

    public static PlanAction Policing(string tap, long rateKbit, long burstKbit) => new(ActionKinds.OvsPolicing, $"port/{tap}",
        new Dictionary<string, string> { ["ingress_policing_rate"] = $"{rateKbit}", ["ingress_policing_burst"] = $"{burstKbit}" }, ActionTiming.Live, "test");

    public static PlanAction Htb(string tap, long? minRate, long? maxRate, long? burst)
    {
        var settings = new Dictionary<string, string> { ["type"] = "linux-htb" };
        if (minRate is { } min)
        {
            settings["min-rate"] = $"{min}";
        }
        if (maxRate is { } max)
        {
            settings["max-rate"] = $"{max}";
        }
        if (burst is { } b)
        {
            settings["burst"] = $"{b}";
        }
        return new(ActionKinds.OvsQos, $"port/{tap}", settings, ActionTiming.Live, "test");
    }
}
