using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Facts;

/// <summary>Reads the facts the audit and the profile planner need from a host root (read only).</summary>
public sealed class HostFactsReader(HostRoot root)
{
    private const string KsmDir = "/sys/kernel/mm/ksm";

    public async Task<HostFacts> ReadAsync(CancellationToken cancellationToken = default)
    {
        var ksm = root.Exists($"{KsmDir}/run") ? await ReadKsmAsync(cancellationToken).ConfigureAwait(false) : null;
        return new HostFacts
        {
            CpuFlags = await ReadCpuFlagsAsync(cancellationToken).ConfigureAwait(false),
            DevKvmPresent = root.Exists("/dev/kvm"),
            IntelEpt = await root.ReadTextAsync("/sys/module/kvm_intel/parameters/ept", cancellationToken).ConfigureAwait(false),
            AmdNpt = await root.ReadTextAsync("/sys/module/kvm_amd/parameters/npt", cancellationToken).ConfigureAwait(false),
            ThpEnabledText = await root.ReadTextAsync("/sys/kernel/mm/transparent_hugepage/enabled", cancellationToken).ConfigureAwait(false),
            ThpDefragText = await root.ReadTextAsync("/sys/kernel/mm/transparent_hugepage/defrag", cancellationToken).ConfigureAwait(false),
            Ksm = ksm,
            Nodes = await new NumaNodeReader(root).ReadAsync(cancellationToken).ConfigureAwait(false),
            NumaBalancing = await root.ReadTextAsync("/proc/sys/kernel/numa_balancing", cancellationToken).ConfigureAwait(false),
            VhostNetDevicePresent = root.Exists("/dev/vhost-net"),
            VhostNetModuleLoaded = root.Exists("/sys/module/vhost_net"),
            BlockDevices = await ReadBlockDevicesAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<IReadOnlySet<string>> ReadCpuFlagsAsync(CancellationToken cancellationToken)
    {
        var text = await root.ReadTextAsync("/proc/cpuinfo", cancellationToken).ConfigureAwait(false) ?? "";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        var colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon < 0 ? new HashSet<string>() : line![(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<KsmFacts> ReadKsmAsync(CancellationToken cancellationToken)
    {
        async Task<long> Knob(string name) =>
            long.TryParse(await root.ReadTextAsync($"{KsmDir}/{name}", cancellationToken).ConfigureAwait(false), out var v) ? v : 0;
        return new KsmFacts(
            (int)await Knob("run").ConfigureAwait(false),
            await Knob("pages_to_scan").ConfigureAwait(false),
            await Knob("sleep_millisecs").ConfigureAwait(false),
            await Knob("pages_shared").ConfigureAwait(false),
            await Knob("pages_sharing").ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<BlockDeviceFacts>> ReadBlockDevicesAsync(CancellationToken cancellationToken)
    {
        var devices = new List<BlockDeviceFacts>();
        foreach (var name in root.List("/sys/block"))
        {
            devices.Add(new BlockDeviceFacts(name, await root.ReadTextAsync($"/sys/block/{name}/queue/scheduler", cancellationToken).ConfigureAwait(false)));
        }
        return devices;
    }
}
