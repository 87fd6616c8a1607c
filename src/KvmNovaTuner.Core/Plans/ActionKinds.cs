namespace KvmNovaTuner.Core.Plans;

/// <summary>
/// The action kinds a plan may contain: the contract between the planner and the executors.
/// Targets: libvirt kinds use the domain uuid (<c>domain/UUID</c>, with <c>/vcpu/N</c>, <c>/iothread/N</c>,
/// <c>/disk/DEV</c> suffixes where the action addresses a part); OVS kinds use <c>port/TAP</c>;
/// host kinds use a path-like name such as <c>node/0/hugepages-2048kB</c>.
/// Settings are always strings in the receiving system's units. An action whose reason starts with <c>verify</c>
/// restates what Nova itself configured (vCPU pins, <c>quota:cpu_*</c>, <c>quota:disk_*</c>, numatune): the executor
/// reports <c>unchanged</c> when it holds, else re-applies it. The planner emits an action only when the observed state
/// differs from it or is unknown.
/// </summary>
public static class ActionKinds
{
    // libvirt, live
    /// <summary>vCPU affinity. Target <c>domain/UUID/vcpu/N</c>. Settings: <c>cpuset</c>. Planned only as a verification:
    /// the pin of Nova's persistent definition when the live pin differs.</summary>
    public const string VcpuPin = "vcpu_pin";
    /// <summary>Emulator thread affinity. Target <c>domain/UUID</c>. Settings: <c>cpuset</c> (housekeeping CPUs).</summary>
    public const string EmulatorPin = "emulator_pin";
    /// <summary>Ensure an IO thread with this id exists. Target <c>domain/UUID/iothread/N</c>. Settings: <c>iothread_id</c>.</summary>
    public const string IoThreadAdd = "iothread_add";
    /// <summary>IO thread affinity. Target <c>domain/UUID/iothread/N</c>. Settings: <c>iothread_id</c>, <c>cpuset</c>.</summary>
    public const string IoThreadPin = "iothread_pin";
    /// <summary>Scheduler parameters. Target <c>domain/UUID</c>. Settings: the libvirt names the flavor sets, of
    /// <c>cpu_shares</c> (quota:cpu_shares), <c>vcpu_period</c> (quota:cpu_period, µs), <c>vcpu_quota</c> (quota:cpu_quota, µs).</summary>
    public const string Scheduler = "scheduler";
    /// <summary>Block IO weight. Target <c>domain/UUID</c>. Settings: <c>weight</c> (100-1000).</summary>
    public const string Blkio = "blkio";
    /// <summary>Per-disk throttling. Target <c>domain/UUID/disk/DEV</c> (Nova's image-backed disks: no serial). Settings:
    /// libvirt block IO tune names (<c>total_bytes_sec</c>, <c>read_iops_sec_max</c>, <c>*_max_length</c>, <c>size_iops_sec</c>, ...);
    /// every limit the flavor sets for the disk is in one action.</summary>
    public const string BlockIoTune = "block_iotune";
    /// <summary>Memory limits. Settings: <c>hard_limit</c>, <c>soft_limit</c>, <c>swap_hard_limit</c> (KiB).</summary>
    public const string Memory = "memory";
    /// <summary>NUMA memory policy. Target <c>domain/UUID</c>. Settings: <c>numa_mode</c> (<c>strict</c>), and
    /// <c>numa_nodeset</c> when the domain's nodeset is known. A verification; planned <c>next-boot</c> because the mode never changes live.</summary>
    public const string NumaTune = "numa_tune";

    // libvirt, next boot (persistent XML)
    /// <summary>Disk driver attributes. Target <c>domain/UUID/disk/DEV</c>. Settings: those the flavor sets of <c>cache</c>,
    /// <c>io</c>, <c>iothread</c> (disks in XML order spread over IO threads 1..N).</summary>
    public const string DiskDriver = "disk_driver";
    /// <summary>Memory backing. Target <c>domain/UUID</c>. Settings: <c>nosharepages</c> (<c>true</c>/<c>false</c>).</summary>
    public const string MemoryBacking = "memory_backing";

    // Open vSwitch
    /// <summary>VM transmit policing on the Interface. Target <c>port/TAP</c>. Settings: <c>ingress_policing_rate</c> (kbit/s =
    /// outbound average kB/s x 8), <c>ingress_policing_burst</c> (kbit = outbound burst kB x 8; <c>0</c>, OVS's default, when none).</summary>
    public const string OvsPolicing = "ovs_policing";
    /// <summary>VM receive shaping on the Port. Target <c>port/TAP</c>. Settings: <c>type</c>=<c>linux-htb</c> with <c>min-rate</c>
    /// (bit/s = inbound average x 8000), <c>max-rate</c> (bit/s = inbound peak x 8000, the average when no peak) and <c>burst</c>
    /// (bits = inbound burst x 8192, only when the flavor has one); or, when the observed port is a DPDK type
    /// (<c>dpdkvhostuser</c>, <c>dpdkvhostuserclient</c>, <c>dpdk</c>), <c>type</c>=<c>egress-policer</c> with <c>cir</c>
    /// (bytes/s = inbound average x 1000) and <c>cbs</c> (bytes = inbound burst x 1024, only when given).</summary>
    public const string OvsQos = "ovs_qos";
    /// <summary>
    /// Remove every OVS row the tuner wrote for the instance (instance deleted or moved to another host).
    /// Target: <c>instance/UUID</c>. Settings: none. The planner emits it on <c>instance.delete.end</c> and
    /// <c>instance.shelve_offload.end</c> unless the observed ports show no tuner-owned row.
    /// </summary>
    public const string OvsRelease = "ovs_release";

    // host
    /// <summary>Hugepage pool of one NUMA node. Target <c>node/N/hugepages-SIZEkB</c>. Settings: <c>node</c>, <c>page_size_kb</c>,
    /// <c>nr_hugepages</c> (the node's new pool total, within the budget). Planned only on events before a boot on this host.</summary>
    public const string HugepagePool = "hugepage_pool";
}
