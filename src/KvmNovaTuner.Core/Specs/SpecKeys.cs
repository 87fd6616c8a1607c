namespace KvmNovaTuner.Core.Specs;

/// <summary>The extra spec keys the tuner reads, and the namespaces it checks.</summary>
public static class SpecKeys
{
    public const string CpuPolicy = "hw:cpu_policy";
    public const string CpuThreadPolicy = "hw:cpu_thread_policy";
    public const string EmulatorThreadsPolicy = "hw:emulator_threads_policy";
    public const string CpuDedicatedMask = "hw:cpu_dedicated_mask";
    public const string CpuRealtime = "hw:cpu_realtime";
    public const string CpuRealtimeMask = "hw:cpu_realtime_mask";
    public const string CpuSockets = "hw:cpu_sockets";
    public const string CpuCores = "hw:cpu_cores";
    public const string CpuThreads = "hw:cpu_threads";
    public const string MemPageSize = "hw:mem_page_size";
    public const string NumaNodes = "hw:numa_nodes";
    public const string NumaCpusPrefix = "hw:numa_cpus.";
    public const string NumaMemPrefix = "hw:numa_mem.";
    public const string LockedMemory = "hw:locked_memory";
    public const string VifMultiqueue = "hw:vif_multiqueue_enabled";

    public const string IoThreads = "tuner:iothreads";
    public const string EmulatorPlacement = "tuner:emulator_placement";
    public const string BlkioWeight = "tuner:blkio_weight";
    public const string DiskSizeIopsSec = "tuner:disk_size_iops_sec";
    public const string DiskCache = "tuner:disk_cache";
    public const string DiskIo = "tuner:disk_io";
    public const string Ksm = "tuner:ksm";
    public const string SnapshotKeep = "tuner:snapshot_keep";
    public const string AutoRecover = "tuner:auto_recover";
    public const string Require = "tuner:require";
    public const string RestartToApply = "tuner:restart_to_apply";
    /// <summary>The <see cref="RestartToApply"/> value that lets the agent restart a fresh guest once.</summary>
    public const string RestartOnCreate = "on-create";

    /// <summary>libvirt block IO tune base names (<c>total_bytes_sec</c>, ...), the suffix of <c>quota:disk_*</c>.</summary>
    public static IReadOnlyList<string> DiskLimitNames { get; } =
        [.. from scope in new[] { "total", "read", "write" } from unit in new[] { "bytes", "iops" } select $"{scope}_{unit}_sec"];

    /// <summary><c>hw:</c> keys Nova registers that do not concern tuning: accepted, not interpreted.</summary>
    public static IReadOnlySet<string> OtherHwKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "hw:pmu", "hw:hide_hypervisor_id", "hw:watchdog_action", "hw:boot_menu", "hw:serial_port_count",
        "hw:pci_numa_affinity_policy", "hw:cpu_max_sockets", "hw:cpu_max_cores", "hw:cpu_max_threads",
        "hw:mem_encryption", "hw:mem_encryption_model", "hw:tpm_version", "hw:tpm_model", "hw:virtio_packed_ring",
        "hw:vif_max_queues", "hw:cpu_realtime_vcpus", "hw:viommu_model", "hw:maxphysaddr_mode", "hw:maxphysaddr_bits",
        "hw:cpu_model", "hw:ephemeral_encryption", "hw:ephemeral_encryption_format", "hw:locked_memory",
        "hw:sound_model", "hw:usb_model", "hw:redirected_usb_ports", "hw:vtpm_secret_security",
    };
}
