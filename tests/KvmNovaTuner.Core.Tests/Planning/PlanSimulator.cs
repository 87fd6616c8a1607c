using System.Globalization;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Tests.Planning;

/// <summary>
/// Applies a plan to an observed state and topology the way faithful executors would, so tests can check that
/// planning against the described state yields nothing.
/// </summary>
internal static class PlanSimulator
{
    public static (ObservedState State, HostTopology Topology) Apply(Plan plan, ObservedState state, HostTopology topology)
    {
        var domain = state.Domain;
        var ports = state.Ports.ToDictionary(p => p.Name);
        foreach (var action in plan.Actions)
        {
            var s = action.Settings;
            var parts = action.Target.Split('/');
            if (parts[0] == "domain")
            {
                domain ??= new DomainState { Uuid = parts[1], Name = "simulated" };
            }
            switch (action.Kind)
            {
                case ActionKinds.VcpuPin:
                    domain = domain! with { VcpuPins = With(domain.VcpuPins, Int(parts[3]), s["cpuset"]) };
                    break;
                case ActionKinds.EmulatorPin:
                    domain = domain! with { EmulatorPin = s["cpuset"] };
                    break;
                case ActionKinds.IoThreadAdd:
                    domain = domain! with { IoThreadIds = [.. domain.IoThreadIds.Append(Int(s["iothread_id"])).Distinct()] };
                    break;
                case ActionKinds.IoThreadPin:
                    domain = domain! with { IoThreadPins = With(domain.IoThreadPins, Int(s["iothread_id"]), s["cpuset"]) };
                    break;
                case ActionKinds.Scheduler:
                    domain = domain! with { Scheduler = Merge(domain.Scheduler, s) };
                    break;
                case ActionKinds.Blkio:
                    domain = domain! with { BlkioWeight = s["weight"] };
                    break;
                case ActionKinds.NumaTune:
                    domain = domain! with { NumaMode = s["numa_mode"], NumaNodeset = s.GetValueOrDefault("numa_nodeset") ?? domain.NumaNodeset };
                    break;
                case ActionKinds.MemoryBacking:
                    domain = domain! with { NoSharePages = s["nosharepages"] == "true" };
                    break;
                case ActionKinds.BlockIoTune:
                    domain = domain! with { Disks = [.. domain.Disks.Select(d => d.TargetDev == parts[3] ? d with { IoTune = Merge(d.IoTune, s) } : d)] };
                    break;
                case ActionKinds.DiskDriver:
                    domain = domain! with
                    {
                        Disks = [.. domain.Disks.Select(d => d.TargetDev != parts[3] ? d : d with
                        {
                            Cache = s.GetValueOrDefault("cache") ?? d.Cache,
                            Io = s.GetValueOrDefault("io") ?? d.Io,
                            IoThread = s.TryGetValue("iothread", out var t) ? Int(t) : d.IoThread,
                        })],
                    };
                    break;
                case ActionKinds.OvsPolicing:
                    ports[parts[1]] = Port(ports, parts[1]) with { IngressPolicingRate = Long(s["ingress_policing_rate"]), IngressPolicingBurst = Long(s["ingress_policing_burst"]) };
                    break;
                case ActionKinds.OvsQos:
                    ports[parts[1]] = Port(ports, parts[1]) with { QosType = s["type"], QosSettings = s.Where(p => p.Key != "type").ToDictionary() };
                    break;
                case ActionKinds.HugepagePool:
                    topology = GrowPool(topology, Int(s["node"]), Long(s["page_size_kb"]), Long(s["nr_hugepages"]));
                    break;
                default:
                    throw new InvalidOperationException($"unknown kind {action.Kind}");
            }
        }
        return (new ObservedState(domain, [.. ports.Values]), topology);
    }

    private static HostTopology GrowPool(HostTopology topology, int node, long sizeKb, long total)
    {
        var cells = topology.Cells.Select(c =>
        {
            if (c.Id != node)
            {
                return c;
            }
            var old = c.Pool(sizeKb) ?? new HugepagePool(sizeKb, 0, 0);
            var grown = new HugepagePool(sizeKb, total, old.Free + total - old.Total);
            return c with { Hugepages = [.. c.Hugepages.Where(p => p.PageSizeKb != sizeKb).Append(grown)] };
        }).ToList();
        return topology with { Cells = cells };
    }

    private static OvsPortState Port(Dictionary<string, OvsPortState> ports, string name) => ports.GetValueOrDefault(name) ?? new OvsPortState { Name = name };

    private static Dictionary<int, string> With(IReadOnlyDictionary<int, string> source, int key, string value) =>
        new(source) { [key] = value };

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> source, IReadOnlyDictionary<string, string> changes)
    {
        var merged = new Dictionary<string, string>(source);
        foreach (var (k, v) in changes)
        {
            merged[k] = v;
        }
        return merged;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
