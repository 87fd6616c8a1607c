namespace KvmNovaTuner.Core.HostProfile;

/// <summary>What an audit observed on a host; every part may be missing (null) when the host does not show it.</summary>
public sealed record HostFacts
{
    /// <summary>CPU flags from the first processor of <c>/proc/cpuinfo</c>.</summary>
    public IReadOnlySet<string> CpuFlags { get; init; } = new HashSet<string>();
    public bool DevKvmPresent { get; init; }
    /// <summary><c>kvm_intel</c> parameter <c>ept</c> (Y/N/1/0), null when the module is not loaded.</summary>
    public string? IntelEpt { get; init; }
    /// <summary><c>kvm_amd</c> parameter <c>npt</c>, null when the module is not loaded.</summary>
    public string? AmdNpt { get; init; }
    public string? ThpEnabledText { get; init; }
    public string? ThpDefragText { get; init; }
    public KsmFacts? Ksm { get; init; }
    public IReadOnlyList<NumaNodeFacts> Nodes { get; init; } = [];
    /// <summary><c>/proc/sys/kernel/numa_balancing</c>, null when the kernel lacks it.</summary>
    public string? NumaBalancing { get; init; }
    public bool VhostNetDevicePresent { get; init; }
    public bool VhostNetModuleLoaded { get; init; }
    public IReadOnlyList<BlockDeviceFacts> BlockDevices { get; init; } = [];
}

/// <summary>KSM state and counters from <c>/sys/kernel/mm/ksm</c>.</summary>
public sealed record KsmFacts(int Run, long PagesToScan, long SleepMillisecs, long PagesShared, long PagesSharing);

/// <summary>One NUMA node: CPUs, memory and its hugepage pools.</summary>
public sealed record NumaNodeFacts(int Id, string CpuList, long MemTotalKb, long MemFreeKb, IReadOnlyList<HugepagePoolFacts> Pools);

/// <summary>A hugepage pool of one size on one node (page counts).</summary>
public sealed record HugepagePoolFacts(long PageSizeKb, long Total, long Free, long Surplus);

/// <summary>A block device and its scheduler choice text (<c>[mq-deadline] none bfq</c>), null when it has none.</summary>
public sealed record BlockDeviceFacts(string Name, string? SchedulerText);
