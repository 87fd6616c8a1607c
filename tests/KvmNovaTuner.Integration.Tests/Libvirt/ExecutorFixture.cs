using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>A fresh test-driver host, a connection and an executor for one test; hand-made plans for its first domain.</summary>
public sealed class ExecutorFixture : IDisposable
{
    public ExecutorFixture(int domains = 1)
    {
        Host = TestDriverHost.Create(domains);
        Connection = Host.Connect();
        Executor = new LibvirtActionExecutor(Connection);
    }

    public TestDriverHost Host { get; }
    public LibvirtConnection Connection { get; }
    public LibvirtActionExecutor Executor { get; }
    public string Uuid => Host.Uuids[0];
    public string Domain => $"domain/{Uuid}";

    public static PlanAction Action(string kind, string target, params (string Key, string Value)[] settings) =>
        new(kind, target, settings.ToDictionary(s => s.Key, s => s.Value),
            kind is ActionKinds.DiskDriver or ActionKinds.MemoryBacking ? ActionTiming.NextBoot : ActionTiming.Live, "test");

    public Task<IReadOnlyList<ActionResult>> ApplyAsync(params PlanAction[] actions) => ApplyAsync(false, actions);

    public Task<IReadOnlyList<ActionResult>> ApplyAsync(bool dryRun, params PlanAction[] actions) =>
        Executor.ExecuteAsync(new Plan(Uuid, "test", "host", actions, []), actions, dryRun);

    public string Xml(bool inactive = false)
    {
        using var domain = Connection.LookupByUuid(Uuid)!;
        return domain.GetXml(inactive);
    }

    public DomainState State(bool inactive = false) => DomainReader.Read(Xml(inactive), active: !inactive);

    public void Dispose()
    {
        Connection.Dispose();
        Host.Dispose();
    }
}
