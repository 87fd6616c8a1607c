using KvmNovaTuner.Libvirt.Testing;

namespace KvmNovaTuner.Benchmarks;

/// <summary>Test-driver host files for the libvirt benchmark: a small one for per-call timings and a large tuned one for reconcile.</summary>
internal sealed class BenchmarkHost : IDisposable
{
    private static readonly Dictionary<string, string> TunedFlavor = new()
    {
        ["tuner:iothreads"] = "2",
        ["tuner:emulator_placement"] = "housekeeping",
        ["tuner:blkio_weight"] = "600",
        ["quota:disk_total_iops_sec"] = "500",
        ["tuner:disk_total_iops_sec_max"] = "1000",
        ["tuner:ksm"] = "off",
    };

    private readonly string directory;

    private BenchmarkHost(string directory) => this.directory = directory;

    public string SmallUri => $"test://{Path.Combine(directory, "small.xml")}";
    public string LargeUri => $"test://{Path.Combine(directory, "large.xml")}";

    public static BenchmarkHost Create(int domains, int domainCount)
    {
        var directory = Directory.CreateTempSubdirectory("knt-libvirt-bench-").FullName;
        File.WriteAllText(Path.Combine(directory, "small.xml"), TestDriverHostXml.Host(Uuids(domains), new Dictionary<string, string>()));
        File.WriteAllText(Path.Combine(directory, "large.xml"), TestDriverHostXml.Host(Uuids(domainCount), TunedFlavor));
        return new BenchmarkHost(directory);
    }

    private static List<string> Uuids(int count) => Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
