using KvmNovaTuner.Agent.Demo;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>The demo report's JSON shape (snake_case, statuses as the plan and apply JSON spell them).</summary>
internal static class DemoJson
{
    public static object From(DemoReport report) => new
    {
        host = report.Host,
        libvirt_uri = report.LibvirtUri,
        ovsdb = report.OvsdbAddress,
        ovsdb_skipped = report.OvsdbSkipped,
        ovsdb_pid = report.OvsdbPid,
        elapsed_seconds = report.Elapsed.TotalSeconds,
        hugepage_pools = report.HugepagePools,
        events = report.Events.Select(e => new
        {
            line = e.Line,
            event_type = e.EventType,
            message_id = e.MessageId,
            instance_uuid = e.InstanceUuid,
            flavor = e.Flavor,
            disposition = e.Disposition,
            reason = e.Reason,
            status = e.Run?.Outcome.Status,
            detail = e.Run?.Outcome.Detail,
            spec_source = e.Run?.SpecSource.ToString(),
            actions = e.Run?.Plan.Actions.Select(a => new { kind = a.Kind, target = a.Target, settings = a.Settings, when = a.When.ToString().ToLowerInvariant(), reason = a.Reason }),
            diagnostics = e.Run?.Plan.Diagnostics.Select(d => new { severity = d.Severity.ToString().ToLowerInvariant(), key = d.Key, message = d.Message }),
            results = e.Run?.Results.Select(x => new { kind = x.Kind, target = x.Target, status = x.Status == Core.Plans.ActionStatus.PendingRestart ? "pending-restart" : x.Status.ToString().ToLowerInvariant(), before = x.Before, after = x.After, message = x.Message }),
            ovs_ports = e.PortsAfter.Select(p => new { name = p.Name, ingress_policing_rate = p.IngressPolicingRate, ingress_policing_burst = p.IngressPolicingBurst, qos_type = p.QosType, qos = p.QosSettings, owner = p.Owner }),
            xml_changes = e.XmlChanges,
        }),
    };
}
