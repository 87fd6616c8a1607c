using System.Reflection;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Tests.Conventions;

/// <summary>Repository-wide rules checked over the assemblies.</summary>
public sealed class CoreHasNoIoTests
{
    private static readonly Assembly Core = typeof(Plan).Assembly;

    [Test]
    public void Core_ReferencesNoAdapterOrIoAssembly()
    {
        var forbidden = new[] { "RabbitMQ.Client", "Flurl.Http", "Microsoft.Data.Sqlite", "KvmNovaTuner.Libvirt", "KvmNovaTuner.Ovs", "KvmNovaTuner.Messaging", "KvmNovaTuner.OpenStack", "KvmNovaTuner.HostTuning", "System.Net.Http" };
        var referenced = Core.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(referenced, Has.None.AnyOf(forbidden));
    }

    [Test]
    public void EveryPublicRecordAndClassInCore_IsSealedOrStaticOrAbstract()
    {
        var open = Core.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)
            .Select(t => t.FullName)
            .ToList();
        Assert.That(open, Is.Empty, "public classes in Core are sealed by default");
    }
}
