namespace KvmNovaTuner.Core.State;

/// <summary>
/// What the domain, its OVS ports and the host look like now. Every part may be unknown (null or empty);
/// the planner then plans everything the spec asks for.
/// </summary>
public sealed record ObservedState(DomainState? Domain, IReadOnlyList<OvsPortState> Ports)
{
    public static ObservedState Unknown { get; } = new(null, []);
}

/// <summary>A libvirt domain's tuning state, read from its live (or, when stopped, inactive) XML.</summary>
public sealed record DomainState
{
    public required string Uuid { get; init; }
    public required string Name { get; init; }
    public bool Active { get; init; }
    public int Vcpus { get; init; }
    public long MemoryKb { get; init; }
    /// <summary>vCPU number → cpuset text as libvirt shows it (e.g. <c>2-3</c>).</summary>
    public IReadOnlyDictionary<int, string> VcpuPins { get; init; } = new Dictionary<int, string>();
    public string? EmulatorPin { get; init; }
    public IReadOnlyList<int> IoThreadIds { get; init; } = [];
    public IReadOnlyDictionary<int, string> IoThreadPins { get; init; } = new Dictionary<int, string>();
    /// <summary>Scheduler and cputune values by libvirt typed-parameter name (<c>cpu_shares</c>, <c>vcpu_quota</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Scheduler { get; init; } = new Dictionary<string, string>();
    public string? BlkioWeight { get; init; }
    public IReadOnlyDictionary<string, string> MemoryTune { get; init; } = new Dictionary<string, string>();
    public string? NumaMode { get; init; }
    public string? NumaNodeset { get; init; }
    public IReadOnlyList<DiskState> Disks { get; init; } = [];
    public IReadOnlyList<InterfaceState> Interfaces { get; init; } = [];
    public bool NoSharePages { get; init; }
    /// <summary>Hugepage size the domain is backed by, in KiB, when it is.</summary>
    public long? HugepageSizeKb { get; init; }
    /// <summary>Nova's metadata from <c>&lt;nova:instance&gt;</c>, when present.</summary>
    public NovaDomainMetadata? Nova { get; init; }
    /// <summary>
    /// vCPU pins of the persistent (inactive) definition, i.e. what Nova configured; empty when not read. The planner
    /// re-applies one of these when the live pin (<see cref="VcpuPins"/>) differs.
    /// </summary>
    public IReadOnlyDictionary<int, string> ConfiguredVcpuPins { get; init; } = new Dictionary<int, string>();
    /// <summary>
    /// The numatune nodeset of the persistent definition: the host cells Nova placed the guest's memory on; null when
    /// not read. The planner verifies the running domain (<see cref="NumaNodeset"/>) against it.
    /// </summary>
    public string? ConfiguredNumaNodeset { get; init; }
}

/// <summary>One disk: its target device, driver attributes and iotune values (libvirt names).</summary>
public sealed record DiskState(
    string TargetDev,
    string? Cache,
    string? Io,
    int? IoThread,
    IReadOnlyDictionary<string, string> IoTune)
{
    /// <summary>
    /// The disk's <c>&lt;serial&gt;</c>: Nova sets it to the Cinder volume id on volumes and leaves its own image-backed
    /// disks without one. The planner applies <c>quota:disk_*</c> and the tuner's burst keys only to disks without a serial.
    /// </summary>
    public string? Serial { get; init; }

    /// <summary>The disk's <c>device</c> attribute (<c>disk</c>, <c>cdrom</c>, ...); null is read as <c>disk</c>.</summary>
    public string? Device { get; init; }
}

/// <summary>One interface: its tap device, type and bandwidth as libvirt shows it.</summary>
public sealed record InterfaceState(string? TargetDev, string? Type, string? MacAddress);

/// <summary>What Nova wrote into the domain's <c>&lt;nova:instance&gt;</c> metadata.</summary>
public sealed record NovaDomainMetadata(
    string? FlavorName,
    string? FlavorId,
    int? Vcpus,
    int? MemoryMb,
    IReadOnlyDictionary<string, string>? ExtraSpecs);

/// <summary>One OVS port of the instance as OVSDB shows it.</summary>
public sealed record OvsPortState
{
    public required string Name { get; init; }
    public string? InterfaceType { get; init; }
    public long IngressPolicingRate { get; init; }
    public long IngressPolicingBurst { get; init; }
    public string? QosType { get; init; }
    /// <summary>QoS other_config merged with its single queue's other_config (min-rate, max-rate, burst, cir, cbs).</summary>
    public IReadOnlyDictionary<string, string> QosSettings { get; init; } = new Dictionary<string, string>();
    /// <summary>Who owns the bandwidth rows: <c>kvm-nova-tuner</c>, <c>neutron</c>, <c>libvirt</c>, <c>unknown</c> or null when none.</summary>
    public string? Owner { get; init; }
}
