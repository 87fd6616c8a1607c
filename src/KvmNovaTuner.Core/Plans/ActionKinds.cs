namespace KvmNovaTuner.Core.Plans;

/// <summary>
/// The action kinds a plan may contain: the contract between the planner and the executors.
/// Targets: libvirt kinds use the domain uuid (<c>domain/UUID</c>, with <c>/vcpu/N</c>, <c>/iothread/N</c>,
/// <c>/disk/DEV</c> suffixes where the action addresses a part); OVS kinds use <c>port/TAP</c>;
/// host kinds use a path-like name such as <c>node/0/hugepages-2048kB</c>.
/// </summary>
public static class ActionKinds
{
    // libvirt, live
    /// <summary>vCPU affinity. Settings: <c>cpuset</c>.</summary>
    public const string VcpuPin = "vcpu_pin";
    /// <summary>Emulator thread affinity. Settings: <c>cpuset</c>.</summary>
    public const string EmulatorPin = "emulator_pin";
    /// <summary>Ensure an IO thread with this id exists. Settings: <c>iothread_id</c>.</summary>
    public const string IoThreadAdd = "iothread_add";
    /// <summary>IO thread affinity. Settings: <c>iothread_id</c>, <c>cpuset</c>.</summary>
    public const string IoThreadPin = "iothread_pin";
    /// <summary>Scheduler parameters. Settings: libvirt names <c>cpu_shares</c>, <c>vcpu_period</c>, <c>vcpu_quota</c>, ...</summary>
    public const string Scheduler = "scheduler";
    /// <summary>Block IO weight. Settings: <c>weight</c>.</summary>
    public const string Blkio = "blkio";
    /// <summary>Per-disk throttling. Settings: libvirt block IO tune names (<c>total_bytes_sec</c>, <c>read_iops_sec_max</c>, <c>size_iops_sec</c>, ...).</summary>
    public const string BlockIoTune = "block_iotune";
    /// <summary>Memory limits. Settings: <c>hard_limit</c>, <c>soft_limit</c>, <c>swap_hard_limit</c> (KiB).</summary>
    public const string Memory = "memory";
    /// <summary>NUMA memory policy. Settings: <c>numa_mode</c>, <c>numa_nodeset</c>.</summary>
    public const string NumaTune = "numa_tune";

    // libvirt, next boot (persistent XML)
    /// <summary>Disk driver attributes. Settings: <c>cache</c>, <c>io</c>, <c>iothread</c>.</summary>
    public const string DiskDriver = "disk_driver";
    /// <summary>Memory backing. Settings: <c>nosharepages</c> (<c>true</c>/<c>false</c>).</summary>
    public const string MemoryBacking = "memory_backing";

    // Open vSwitch
    /// <summary>VM transmit policing on the Interface. Settings: <c>ingress_policing_rate</c> (kbit/s), <c>ingress_policing_burst</c> (kbit).</summary>
    public const string OvsPolicing = "ovs_policing";
    /// <summary>VM receive shaping on the Port. Settings: <c>type</c>, <c>min-rate</c>, <c>max-rate</c> (bit/s), <c>burst</c> (bits).</summary>
    public const string OvsQos = "ovs_qos";
    /// <summary>
    /// Remove every OVS row the tuner wrote for the instance (instance deleted or moved to another host).
    /// Target: <c>instance/UUID</c>. Settings: none.
    /// </summary>
    public const string OvsRelease = "ovs_release";

    // host
    /// <summary>Hugepage pool of one NUMA node. Settings: <c>node</c>, <c>page_size_kb</c>, <c>nr_hugepages</c>.</summary>
    public const string HugepagePool = "hugepage_pool";
}
