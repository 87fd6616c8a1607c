using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Libvirt.Reconciliation;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>Whatever the planner writes into a persistent definition validates against libvirt's own schema.</summary>
public sealed class PlannedXmlValidationTests
{
    private static IEnumerable<Dictionary<string, string>> Flavors()
    {
        foreach (var cache in new[] { "none", "directsync", "writeback", "writethrough", "unsafe" })
        {
            foreach (var io in new[] { "native", "threads", "io_uring" })
            {
                foreach (var threads in new[] { "1", "3" })
                {
                    foreach (var ksm in new[] { "on", "off" })
                    {
                        var specs = new Dictionary<string, string>
                        {
                            ["tuner:disk_cache"] = cache, ["tuner:disk_io"] = io, ["tuner:iothreads"] = threads, ["tuner:ksm"] = ksm,
                        };
                        if (SpecParser.Parse(specs, 2, 1024).IsValid)
                        {
                            yield return specs;
                        }
                    }
                }
            }
        }
    }

    [Test]
    public async Task EveryValidFlavor_ItsNextBootChangesPassVirtXmlValidate()
    {
        var flavors = Flavors().ToList();
        Assert.That(flavors, Has.Count.GreaterThan(10), "the spec parser must accept most combinations");
        var problems = new List<string>();
        foreach (var specs in flavors)
        {
            using var host = TestDriverHost.Create(domains: 1, extraSpecs: specs);
            using var connection = host.Connect();
            var reconciler = new Reconciler(connection, new ActionDispatcher([new LibvirtActionExecutor(connection)]), "compute-1");
            var report = await reconciler.ReconcileAsync(LibvirtTopologyReader.Read(connection, new HashSet<int> { 0 }), dryRun: false);
            var results = report.Domains.Single().Result.Results;
            var label = string.Join(",", specs.Select(s => $"{s.Key}={s.Value}"));
            problems.AddRange(results.Where(r => r.Status == ActionStatus.Failed).Select(r => $"{label}: {r.Kind} failed: {r.Message}"));
            if (!results.Any(r => r.Status == ActionStatus.PendingRestart))
            {
                problems.Add($"{label}: no next-boot change was written");
            }
            using var domain = connection.LookupByUuid(host.Uuids[0])!;
            if (VirtXmlValidate.Domain(domain.GetXml(inactive: true)) is { } error)
            {
                problems.Add($"{label}: virt-xml-validate: {error}");
            }
        }
        Assert.That(problems, Is.Empty);
    }
}
