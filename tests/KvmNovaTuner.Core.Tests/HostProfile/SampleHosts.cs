using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

/// <summary>Host facts for audit and planner tests: a well-tuned two-node Intel host to vary one fact at a time.</summary>
internal static class SampleHosts
{
    public static HostFacts TwoNodeIntel { get; } = new()
    {
        CpuFlags = new HashSet<string> { "fpu", "vmx", "ept", "sse2" },
        DevKvmPresent = true,
        IntelEpt = "Y",
        ThpEnabledText = "always [madvise] never",
        ThpDefragText = "always defer defer+madvise [madvise] never",
        Ksm = new KsmFacts(0, 100, 20, 0, 0),
        Nodes =
        [
            new NumaNodeFacts(0, "0-3", 16 * 1024 * 1024, 8 * 1024 * 1024, [new HugepagePoolFacts(2048, 0, 0, 0), new HugepagePoolFacts(1048576, 0, 0, 0)]),
            new NumaNodeFacts(1, "4-7", 16 * 1024 * 1024, 8 * 1024 * 1024, [new HugepagePoolFacts(2048, 0, 0, 0), new HugepagePoolFacts(1048576, 0, 0, 0)]),
        ],
        NumaBalancing = "0",
        VhostNetDevicePresent = true,
        VhostNetModuleLoaded = true,
        BlockDevices = [new BlockDeviceFacts("sda", "[mq-deadline] none bfq"), new BlockDeviceFacts("loop0", "[none] mq-deadline")],
    };

    public static FlavorDemand Demand(params (string Key, string Value)[] specs) =>
        FlavorDemand.FromExtraSpecs([specs.ToDictionary(s => s.Key, s => s.Value)]);

    public static AuditFinding Finding(HostFacts facts, FlavorDemand demand, string item) =>
        HostAuditor.Audit(facts, demand).Single(f => f.Item == item);
}
