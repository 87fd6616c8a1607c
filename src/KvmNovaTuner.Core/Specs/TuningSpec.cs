namespace KvmNovaTuner.Core.Specs;

/// <summary>
/// A flavor's extra specs parsed into what the planner needs: Nova's own tuning keys (<c>hw:</c>, <c>quota:</c>) with
/// Nova's meaning, and the tuner's keys (<c>tuner:</c>). Absent keys are null; invalid keys are left out (and named
/// by a diagnostic), so a spec is always safe to plan from.
/// </summary>
public sealed record TuningSpec
{
    public static TuningSpec Empty { get; } = new();

    /// <summary>The flavor's vCPU count and memory when known (needed for masks, NUMA and hugepage math).</summary>
    public int? Vcpus { get; init; }
    public int? MemoryMb { get; init; }

    // hw: CPU
    public CpuPolicy CpuPolicy { get; init; } = CpuPolicy.Shared;
    public CpuThreadPolicy? CpuThreadPolicy { get; init; }
    public EmulatorThreadsPolicy? EmulatorThreadsPolicy { get; init; }
    /// <summary>The vCPUs Nova pins: every vCPU under <c>dedicated</c>, the mask's vCPUs under <c>mixed</c>, none under <c>shared</c>.</summary>
    public IReadOnlySet<int> DedicatedVcpus { get; init; } = new HashSet<int>();
    public bool Realtime { get; init; }
    public IReadOnlySet<int>? RealtimeVcpus { get; init; }
    public int? CpuSockets { get; init; }
    public int? CpuCores { get; init; }
    public int? CpuThreads { get; init; }

    // hw: memory and NUMA
    public PageSize? MemPageSize { get; init; }
    /// <summary>Guest NUMA cells when the flavor asks for a NUMA topology (<c>hw:numa_nodes</c>).</summary>
    public IReadOnlyList<GuestNumaCell> NumaCells { get; init; } = [];
    public int? NumaNodes { get; init; }
    public bool? LockedMemory { get; init; }
    public bool? VifMultiqueue { get; init; }

    // quota:
    /// <summary><c>quota:cpu_*</c> mapped to libvirt scheduler parameter names (<c>cpu_shares</c>, <c>vcpu_period</c>, <c>vcpu_quota</c>).</summary>
    public IReadOnlyDictionary<string, long> CpuQuota { get; init; } = new Dictionary<string, long>();
    /// <summary><c>quota:disk_*</c> by libvirt block IO tune name (<c>total_bytes_sec</c>, ...).</summary>
    public IReadOnlyDictionary<string, long> DiskQuota { get; init; } = new Dictionary<string, long>();
    public VifBandwidth? Inbound { get; init; }
    public VifBandwidth? Outbound { get; init; }

    // tuner:
    public int? IoThreads { get; init; }
    public EmulatorPlacement? EmulatorPlacement { get; init; }
    public int? BlkioWeight { get; init; }
    /// <summary><c>tuner:disk_*_max</c>, <c>*_max_length</c> and <c>size_iops_sec</c> by libvirt block IO tune name.</summary>
    public IReadOnlyDictionary<string, long> DiskBurst { get; init; } = new Dictionary<string, long>();
    public string? DiskCache { get; init; }
    public string? DiskIo { get; init; }
    /// <summary><c>tuner:ksm</c>: false means the guest opts out of page merging (<c>nosharepages</c>).</summary>
    public bool? Ksm { get; init; }
    public int? SnapshotKeep { get; init; }
    public bool? AutoRecover { get; init; }
    /// <summary><c>tuner:require</c>: a boot must fail when the host cannot honour the flavor (used by the boot hook).</summary>
    public bool? Require { get; init; }
    /// <summary>
    /// <c>tuner:restart_to_apply</c>: <c>on-create</c> lets the agent restart a freshly created guest once, through libvirt,
    /// so next-boot settings take effect; <c>never</c> (the default) leaves them <c>pending-restart</c>.
    /// </summary>
    public string? RestartToApply { get; init; }

    /// <summary>True when Nova pins at least one vCPU.</summary>
    public bool IsPinned => CpuPolicy != CpuPolicy.Shared;

    /// <summary>Nova gives the guest a NUMA topology: explicit nodes, or one cell implied by pinning or by any <c>hw:mem_page_size</c> (even small or any).</summary>
    public bool HasNumaTopology => NumaNodes is not null || IsPinned || MemPageSize is not null;
}

/// <summary><c>hw:cpu_policy</c>.</summary>
public enum CpuPolicy
{
    Shared,
    Dedicated,
    Mixed,
}

/// <summary><c>hw:cpu_thread_policy</c>.</summary>
public enum CpuThreadPolicy
{
    Prefer,
    Isolate,
    Require,
}

/// <summary><c>hw:emulator_threads_policy</c>.</summary>
public enum EmulatorThreadsPolicy
{
    Share,
    Isolate,
}

/// <summary>
/// <c>tuner:emulator_placement</c>: <c>node</c> = housekeeping CPUs of the guest's NUMA node(s) (default when pinned),
/// <c>housekeeping</c> = any housekeeping CPU, <c>nova</c> = leave the emulator and IO threads where Nova put them
/// (default when shared).
/// </summary>
public enum EmulatorPlacement
{
    Node,
    Housekeeping,
    Nova,
}

/// <summary>One guest NUMA cell: its vCPUs and memory in MiB.</summary>
public sealed record GuestNumaCell(int Id, IReadOnlySet<int> Vcpus, long MemoryMb);

/// <summary>One direction of <c>quota:vif_*</c>: average and peak in kilobytes per second, burst in kilobytes (Nova's units).</summary>
public sealed record VifBandwidth(long? Average, long? Peak, long? Burst);
