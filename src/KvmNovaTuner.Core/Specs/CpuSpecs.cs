using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Specs;

/// <summary>Reads the <c>hw:</c> CPU keys with Nova's value rules and its semantic rules (policy, masks, realtime, topology).</summary>
internal static class CpuSpecs
{
    private static readonly string[] Policies = ["shared", "dedicated", "mixed"];
    private static readonly string[] ThreadPolicies = ["prefer", "isolate", "require"];
    private static readonly string[] EmulatorPolicies = ["share", "isolate"];

    public static TuningSpec Read(SpecReader r, TuningSpec spec)
    {
        var policy = r.Word(SpecKeys.CpuPolicy, Policies) switch
        {
            "dedicated" => CpuPolicy.Dedicated,
            "mixed" => CpuPolicy.Mixed,
            _ => CpuPolicy.Shared,
        };
        var thread = r.Word(SpecKeys.CpuThreadPolicy, ThreadPolicies) is { } t ? Enum.Parse<CpuThreadPolicy>(t, ignoreCase: true) : (CpuThreadPolicy?)null;
        var emulator = r.Word(SpecKeys.EmulatorThreadsPolicy, EmulatorPolicies) is { } e ? Enum.Parse<EmulatorThreadsPolicy>(e, ignoreCase: true) : (EmulatorThreadsPolicy?)null;
        var realtime = r.Bool(SpecKeys.CpuRealtime) ?? false;
        var pinned = policy != CpuPolicy.Shared;

        var needsPinning = "needs hw:cpu_policy=dedicated or mixed";
        var pinFix = "set hw:cpu_policy=dedicated (or mixed) or remove the key";
        if (!pinned && thread is not null)
        {
            r.Error(SpecKeys.CpuThreadPolicy, r.Raw(SpecKeys.CpuThreadPolicy), needsPinning, pinFix);
        }
        if (!pinned && emulator == EmulatorThreadsPolicy.Isolate)
        {
            r.Error(SpecKeys.EmulatorThreadsPolicy, "isolate", needsPinning, pinFix);
        }
        if (!pinned && realtime)
        {
            r.Error(SpecKeys.CpuRealtime, r.Raw(SpecKeys.CpuRealtime), needsPinning, pinFix);
        }

        var vcpus = Enumerable.Range(0, spec.Vcpus ?? 0).ToList();
        var dedicatedMask = Mask(r, SpecKeys.CpuDedicatedMask, vcpus, spec.Vcpus);
        var realtimeMask = Mask(r, SpecKeys.CpuRealtimeMask, vcpus, spec.Vcpus);
        if (!pinned && r.Has(SpecKeys.CpuDedicatedMask))
        {
            r.Error(SpecKeys.CpuDedicatedMask, r.Raw(SpecKeys.CpuDedicatedMask), "needs hw:cpu_policy=mixed", "set hw:cpu_policy=mixed or remove the mask");
        }
        if (policy == CpuPolicy.Dedicated && r.Has(SpecKeys.CpuDedicatedMask))
        {
            r.Error(SpecKeys.CpuDedicatedMask, r.Raw(SpecKeys.CpuDedicatedMask), "is only for hw:cpu_policy=mixed (dedicated pins every vCPU)", "remove the mask or use hw:cpu_policy=mixed");
        }
        if (r.Has(SpecKeys.CpuRealtimeMask) && !realtime)
        {
            r.Warning(SpecKeys.CpuRealtimeMask, r.Raw(SpecKeys.CpuRealtimeMask), "has no effect without hw:cpu_realtime=true", "set hw:cpu_realtime=yes or remove the mask");
        }

        IReadOnlySet<int> dedicated = policy switch
        {
            CpuPolicy.Dedicated => vcpus.ToHashSet(),
            CpuPolicy.Mixed => MixedDedicated(r, dedicatedMask, realtimeMask, spec.Vcpus),
            _ => new HashSet<int>(),
        };
        if (realtime && pinned && !r.Has(SpecKeys.CpuRealtimeMask) && emulator != EmulatorThreadsPolicy.Isolate)
        {
            r.Warning(SpecKeys.CpuRealtime, r.Raw(SpecKeys.CpuRealtime), "needs at least one non-realtime vCPU for housekeeping unless emulator threads are isolated",
                "add hw:cpu_realtime_mask=^0 or hw:emulator_threads_policy=isolate");
        }

        var sockets = r.Int(SpecKeys.CpuSockets, 1, 1024);
        var cores = r.Int(SpecKeys.CpuCores, 1, 1024);
        var threads = r.Int(SpecKeys.CpuThreads, 1, 1024);
        if (sockets is not null && cores is not null && threads is not null && spec.Vcpus is { } n && sockets * cores * threads != n)
        {
            r.Error(SpecKeys.CpuSockets, $"{sockets}x{cores}x{threads}", $"sockets x cores x threads must equal the flavor's {n} vCPUs", "adjust hw:cpu_sockets, hw:cpu_cores and hw:cpu_threads");
        }

        return spec with
        {
            CpuPolicy = policy,
            CpuThreadPolicy = thread,
            EmulatorThreadsPolicy = emulator,
            DedicatedVcpus = dedicated,
            Realtime = realtime && pinned,
            RealtimeVcpus = realtime && pinned ? realtimeMask ?? dedicated : null,
            CpuSockets = sockets,
            CpuCores = cores,
            CpuThreads = threads,
        };
    }

    private static IReadOnlySet<int>? Mask(SpecReader r, string key, IReadOnlyList<int> vcpus, int? vcpuCount)
    {
        var text = r.Raw(key);
        if (text is null)
        {
            return null;
        }
        var mask = CpuList.ParseMask(text, vcpus);
        if (mask is null)
        {
            r.Error(key, text, "is not a CPU mask", "write vCPU numbers and ranges like 0-1,3 or exclusions like ^0");
            return null;
        }
        var mentioned = CpuList.Parse(text.Replace("^", string.Empty, StringComparison.Ordinal)) ?? mask;
        if (vcpuCount is { } count && mentioned.Any(v => v >= count))
        {
            r.Error(key, text, $"names vCPUs beyond the flavor's {count} (0-{count - 1})", $"use vCPU numbers 0-{count - 1}");
            return null;
        }
        return mask;
    }

    private static IReadOnlySet<int> MixedDedicated(SpecReader r, IReadOnlySet<int>? dedicatedMask, IReadOnlySet<int>? realtimeMask, int? vcpus)
    {
        var given = (r.Has(SpecKeys.CpuDedicatedMask) ? 1 : 0) + (r.Has(SpecKeys.CpuRealtimeMask) ? 1 : 0);
        if (given != 1)
        {
            r.Error(SpecKeys.CpuPolicy, "mixed", given == 0 ? "needs a mask saying which vCPUs are dedicated" : "takes exactly one of hw:cpu_dedicated_mask and hw:cpu_realtime_mask",
                "give exactly one of hw:cpu_dedicated_mask (e.g. ^0) or hw:cpu_realtime_mask");
            return new HashSet<int>();
        }
        var mask = dedicatedMask ?? realtimeMask;
        if (mask is null)
        {
            return new HashSet<int>();
        }
        var key = dedicatedMask is not null ? SpecKeys.CpuDedicatedMask : SpecKeys.CpuRealtimeMask;
        // Without the vCPU count an exclusion-only mask cannot be resolved, so only a known count is checked.
        if (vcpus is { } n && (mask.Count == 0 || mask.Count >= n))
        {
            r.Error(key, r.Raw(key), "must leave at least one shared and one dedicated vCPU under hw:cpu_policy=mixed",
                "name some but not all vCPUs, or use hw:cpu_policy=dedicated");
        }
        return mask;
    }
}
