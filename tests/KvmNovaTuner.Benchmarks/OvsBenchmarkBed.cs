using System.Diagnostics;

namespace KvmNovaTuner.Benchmarks;

/// <summary>A bridge with N VM ports of one instance (os-vif style <c>vm-uuid</c>) for the ovs benchmark, made and removed with ovs-vsctl.</summary>
internal sealed class OvsBenchmarkBed(string address, int count)
{
    private readonly string _bridge = $"kbench{Environment.ProcessId % 100000}";

    public string InstanceUuid { get; } = Guid.NewGuid().ToString();

    public IReadOnlyList<string> Taps { get; } = [.. Enumerable.Range(0, count).Select(i => $"tapb{Environment.ProcessId % 10000}x{i}")];

    public Task CreateAsync()
    {
        var args = new List<string> { "add-br", _bridge };
        foreach (var tap in Taps)
        {
            args.AddRange(["--", "add-port", _bridge, tap, "--", "set", "Interface", tap, $"external_ids:vm-uuid={InstanceUuid}"]);
        }
        return VsctlAsync([.. args]);
    }

    public Task DeleteAsync() => VsctlAsync("--if-exists", "del-br", _bridge);

    /// <summary>The ovs-vsctl arguments that write one port's policing, htb QoS and queue, tagged like the tuner does.</summary>
    public string[] FullPortArgs(int i, long rate, long htbRate)
    {
        var marks = new[] { "external_ids:kvm-nova-tuner\\:owner=kvm-nova-tuner", $"external_ids:kvm-nova-tuner\\:instance={InstanceUuid}" };
        return
        [
            "set", "Interface", Taps[i], $"ingress_policing_rate={rate}", $"ingress_policing_burst={rate * 8 / 10}", .. marks,
            "--", "set", "Port", Taps[i], "qos=@q",
            "--", "--id=@q", "create", "QoS", "type=linux-htb", $"other_config:max-rate={htbRate}", "queues:0=@u", .. marks,
            "--", "--id=@u", "create", "Queue", $"other_config:min-rate={htbRate}", $"other_config:max-rate={htbRate}", "other_config:burst=81920", .. marks,
        ];
    }

    public async Task VsctlEachAsync(Func<int, string[]> args)
    {
        for (var i = 0; i < Taps.Count; i++)
        {
            await VsctlAsync(args(i));
        }
    }

    private async Task VsctlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ovs-vsctl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { $"--db={address}", "--no-wait" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ovs-vsctl failed: {await stderr}");
        }
    }
}
