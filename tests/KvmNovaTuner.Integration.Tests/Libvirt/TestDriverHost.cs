using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Native;
using KvmNovaTuner.Libvirt.Testing;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>
/// A libvirt test-driver host (<see cref="TestDriverHostXml"/>) written to its own temp file, so connections of
/// different tests never share state (unlike test:///default).
/// </summary>
public sealed class TestDriverHost : IDisposable
{
    private readonly string directory;

    private TestDriverHost(string directory, string path, IReadOnlyList<string> uuids)
    {
        this.directory = directory;
        Path = path;
        Uuids = uuids;
    }

    public string Path { get; }
    public string Uri => $"test://{Path}";
    public IReadOnlyList<string> Uuids { get; }

    /// <summary>Ignores the calling test, with the reason printed, when libvirt.so.0 is not installed.</summary>
    public static void RequireLibvirt()
    {
        if (!LibvirtRuntime.IsAvailable(out var reason))
        {
            TestContext.Progress.WriteLine($"SKIPPED: {reason}");
            Assert.Ignore(reason);
        }
    }

    /// <summary>Writes a host with <paramref name="domains"/> running domains, each with the given extra specs.</summary>
    public static TestDriverHost Create(int domains = 2, IReadOnlyDictionary<string, string>? extraSpecs = null)
    {
        RequireLibvirt();
        var directory = Directory.CreateTempSubdirectory("knt-libvirt-").FullName;
        var uuids = Enumerable.Range(1, domains).Select(_ => Guid.NewGuid().ToString()).ToList();
        var path = System.IO.Path.Combine(directory, "host.xml");
        File.WriteAllText(path, TestDriverHostXml.Host(uuids, extraSpecs ?? new Dictionary<string, string>()));
        return new TestDriverHost(directory, path, uuids);
    }

    public static string DomainXml(string name, string uuid, IReadOnlyDictionary<string, string> extraSpecs) =>
        TestDriverHostXml.Domain(name, uuid, extraSpecs);

    public LibvirtConnection Connect() => LibvirtConnection.Open(Uri);

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
