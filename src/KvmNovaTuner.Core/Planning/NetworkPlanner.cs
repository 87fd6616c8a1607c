using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Core.Planning;

/// <summary>
/// OVS bandwidth for every port of the instance (including vhost-user ports Nova skips): VM transmit as Interface
/// policing, VM receive as a linux-htb QoS capped at the average when there is no peak, or an egress-policer on
/// DPDK ports when the port type is known.
/// </summary>
internal static class NetworkPlanner
{
    private static readonly string[] DpdkTypes = ["dpdkvhostuser", "dpdkvhostuserclient", "dpdk"];

    public static void Plan(PlanContext c)
    {
        var outbound = c.Spec.Outbound is { Average: > 0 } o ? o : null;
        var inbound = c.Spec.Inbound is { Average: > 0 } i ? i : null;
        if (outbound is null && inbound is null)
        {
            return;
        }
        var ports = PortNames(c);
        if (ports.Count == 0)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Info, "quota:vif", "no port of the instance is known yet: bandwidth is planned once its tap devices are observed");
            return;
        }
        foreach (var name in ports)
        {
            var port = c.Observed.Ports.FirstOrDefault(p => p.Name == name);
            if (outbound is not null)
            {
                Policing(c, name, port, outbound);
            }
            if (inbound is not null)
            {
                Qos(c, name, port, inbound, IsDpdk(c, name, port));
            }
        }
    }

    private static List<string> PortNames(PlanContext c) =>
        [.. c.Request.PortNames
            .Concat(c.Observed.Ports.Select(p => p.Name))
            .Concat(c.Domain?.Interfaces.Select(i => i.TargetDev).OfType<string>() ?? [])
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static bool IsDpdk(PlanContext c, string name, OvsPortState? port) =>
        DpdkTypes.Contains(port?.InterfaceType) || c.Domain?.Interfaces.Any(i => i.TargetDev == name && i.Type == "vhostuser") == true;

    private static void Policing(PlanContext c, string name, OvsPortState? port, VifBandwidth outbound)
    {
        var settings = new Dictionary<string, string>
        {
            ["ingress_policing_rate"] = PlanContext.Text(BandwidthUnits.PolicingRateKbit(outbound.Average!.Value)),
            ["ingress_policing_burst"] = PlanContext.Text(BandwidthUnits.PolicingBurstKbit(outbound.Burst ?? 0)),
        };
        var observed = port is null ? null : new Dictionary<string, string>
        {
            ["ingress_policing_rate"] = PlanContext.Text(port.IngressPolicingRate),
            ["ingress_policing_burst"] = PlanContext.Text(port.IngressPolicingBurst),
        };
        var burst = outbound.Burst is { } b ? $", burst {b} kB" : string.Empty;
        c.Builder.Add(ActionKinds.OvsPolicing, $"port/{name}", settings, ActionTiming.Live,
            $"quota:vif_outbound_average={outbound.Average} kB/s{burst}: VM transmit policed on the Interface", observed);
    }

    private static void Qos(PlanContext c, string name, OvsPortState? port, VifBandwidth inbound, bool dpdk)
    {
        var average = inbound.Average!.Value;
        var settings = new Dictionary<string, string>();
        if (dpdk)
        {
            settings["type"] = "egress-policer";
            settings["cir"] = PlanContext.Text(BandwidthUnits.PolicerCirBytes(average));
            if (inbound.Burst is { } cbs)
            {
                settings["cbs"] = PlanContext.Text(BandwidthUnits.PolicerCbsBytes(cbs));
            }
        }
        else
        {
            settings["type"] = "linux-htb";
            settings["min-rate"] = PlanContext.Text(BandwidthUnits.HtbRateBits(average));
            settings["max-rate"] = PlanContext.Text(BandwidthUnits.HtbRateBits(inbound.Peak ?? average));
            if (inbound.Burst is { } burst)
            {
                settings["burst"] = PlanContext.Text(BandwidthUnits.HtbBurstBits(burst));
            }
        }
        Dictionary<string, string>? observed = null;
        if (port is not null)
        {
            observed = new Dictionary<string, string>(port.QosSettings);
            if (port.QosType is { } type)
            {
                observed["type"] = type;
            }
        }
        var cap = inbound.Peak is null ? " (capped at the average: no peak given)" : $", peak {inbound.Peak} kB/s";
        var kind = dpdk ? "egress-policer on a vhost-user port Nova skips" : "linux-htb QoS on the Port";
        c.Builder.Add(ActionKinds.OvsQos, $"port/{name}", settings, ActionTiming.Live,
            $"quota:vif_inbound_average={average} kB/s{cap}: VM receive shaped by {kind}", observed);
    }
}
