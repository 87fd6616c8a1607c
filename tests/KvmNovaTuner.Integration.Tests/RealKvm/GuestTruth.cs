using System.Xml.Linq;
using KvmNovaTuner.Integration.Tests.Libvirt;
using KvmNovaTuner.Libvirt;

namespace KvmNovaTuner.Integration.Tests.RealKvm;

/// <summary>
/// What the host says about one guest, read without the tuner: the live and persistent domain XML from libvirtd and each
/// QEMU thread's affinity from /proc/&lt;qemu pid&gt;/task/*/status (Cpus_allowed_list).
/// </summary>
internal sealed record GuestTruth(string Name, string? Pid, XElement Live, XElement Persistent, IReadOnlyDictionary<string, CpuSet> Threads)
{
    public static GuestTruth Read(string libvirtUri, string uuid)
    {
        using var connection = LibvirtConnection.Open(libvirtUri);
        using var domain = connection.LookupByUuid(uuid) ?? throw new AssertionException($"libvirtd has no domain {uuid}");
        var live = XElement.Parse(domain.GetXml());
        var persistent = XElement.Parse(domain.GetXml(inactive: true));
        return new GuestTruth(domain.Name, QemuThreads.Pid(domain.Name), live, persistent, QemuThreads.Affinities(domain.Name));
    }

    /// <summary>Nova's pin of each vCPU (live &lt;cputune&gt;&lt;vcpupin&gt;).</summary>
    public IReadOnlyDictionary<int, CpuSet> VcpuPins => Live.Element("cputune")?.Elements("vcpupin")
        .ToDictionary(p => (int)p.Attribute("vcpu")!, p => CpuSet.Parse((string)p.Attribute("cpuset")!)) ?? [];

    /// <summary>The live IO thread ids.</summary>
    public IReadOnlyList<int> IoThreadIds => Live.Element("iothreadids")?.Elements("iothread").Select(t => (int)t.Attribute("id")!).ToList() ?? [];

    /// <summary>The affinity of vCPU <paramref name="vcpu"/>'s thread ("CPU n/KVM").</summary>
    public CpuSet VcpuThread(int vcpu) => Threads.TryGetValue($"CPU {vcpu}/KVM", out var c) ? c : throw new AssertionException($"no thread 'CPU {vcpu}/KVM' in /proc: {string.Join(", ", Threads.Keys)}");

    /// <summary>The IO threads QEMU runs ("IO iothreadN"; libvirt names them iothread1..N).</summary>
    public IReadOnlyDictionary<string, CpuSet> IoThreads => Threads.Where(t => t.Key.StartsWith("IO iothread", StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value);

    /// <summary>The first disk's &lt;driver&gt; element in the live XML.</summary>
    public XElement? LiveDiskDriver => Live.Element("devices")?.Elements("disk").FirstOrDefault(d => (string?)d.Attribute("device") == "disk")?.Element("driver");

    /// <summary>The first disk's &lt;iotune&gt; values in the live XML.</summary>
    public IReadOnlyDictionary<string, long> LiveIoTune => Live.Element("devices")?.Elements("disk").FirstOrDefault(d => (string?)d.Attribute("device") == "disk")?.Element("iotune")?
        .Elements().ToDictionary(e => e.Name.LocalName, e => long.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture)) ?? [];

    public override string ToString() => $"{Name}: threads {string.Join(", ", Threads.Select(t => $"{t.Key}={t.Value}"))}\nlive cputune: {Live.Element("cputune")}\nlive disk driver: {LiveDiskDriver}";
}
