using System.CommandLine;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Xml;
using KvmNovaTuner.Messaging.Replay;
using KvmNovaTuner.Ovs.Protocol;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Cli.Commands.Apply;

/// <summary>
/// The `apply --notification FILE --host NAME --libvirt-uri URI [--ovsdb ADDR] [--host-root DIR] [--dry-run] [--json]` verb:
/// decodes the first event in FILE, plans it against the domain's (and, with --ovsdb, its OVS ports') observed
/// state and applies it. Exit 0 when no
/// action failed and the plan has no error, 1 otherwise, 2 for unreadable input or an unreachable libvirt.
/// </summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var notification = new Option<FileInfo>("--notification") { Description = "A notification file (oslo envelope, bare message or JSON lines); its first event is applied", Required = true };
        var host = new Option<string>("--host") { Description = "This compute host's name as Nova knows it", Required = true };
        var uri = new Option<string>("--libvirt-uri") { Description = "libvirt connection URI (qemu:///system, test:///path/host.xml)", Required = true };
        var hostRoot = new Option<string?>("--host-root") { Description = "Read the host topology from /sys under this root instead of from libvirt, and apply hugepage pool actions there" };
        var ovsdb = new Option<string?>("--ovsdb") { Description = "OVSDB address (unix:PATH or tcp:HOST:PORT): also observe and apply the instance's OVS bandwidth" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Compare and report only; change nothing" };
        var json = new Option<bool>("--json") { Description = "{\"instance_uuid\", \"results\": [{\"kind\", \"target\", \"status\", \"before\", \"after\", \"message\"}]}" };
        var command = new Command("apply", "Decode, plan and apply the first event in a notification file") { notification, host, uri, ovsdb, hostRoot, dryRun, json };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var instanceEvent = await FirstEventAsync(r.GetValue(notification)!, ct);
            using var session = LibvirtSession.Open(r.GetValue(uri)!);
            var topology = await session.ReadTopologyAsync(r.GetValue(hostRoot), ct);
            session.AddHostExecutor(r.GetValue(hostRoot), topology);
            var domain = Observe(session.Connection, instanceEvent.InstanceUuid);
            var request = PlanRequest.FromEvent(instanceEvent, r.GetValue(host)!, domain);
            await using var ovs = await ConnectOvsAsync(r.GetValue(ovsdb), ct);
            IReadOnlyList<OvsPortState> ports = [];
            if (ovs is not null)
            {
                var taps = request.PortNames.Concat(domain?.Interfaces.Select(i => i.TargetDev).OfType<string>() ?? []).Distinct();
                ports = await ovs.Reader.ReadAsync(instanceEvent.InstanceUuid, taps, ct);
                session.Executors.Add(ovs);
            }
            var plan = TuningPlanner.Create(request, topology, new ObservedState(domain, ports));
            var result = await session.Dispatcher.ApplyAsync(plan, r.GetValue(dryRun), ct);
            await ApplyOutput.WriteAsync(plan, result, r.GetValue(json));
            return result.AnyFailed || plan.HasErrors ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<InstanceEvent> FirstEventAsync(FileInfo file, CancellationToken ct)
    {
        IReadOnlyList<FileMessage> messages;
        try
        {
            messages = await NotificationFile.ReadAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--notification: cannot read {file.FullName}: {e.Message}");
        }
        var first = messages.Count > 0 ? messages[0] : throw new UsageException($"--notification: {file.Name} holds no message");
        var decoded = NotificationDecoder.Decode(first.Body);
        return decoded.Event ?? throw new UsageException($"--notification: {file.Name} line {first.Line}: {decoded.Error}");
    }

    private static async Task<OvsQosExecutor?> ConnectOvsAsync(string? address, CancellationToken ct)
    {
        if (address is null)
        {
            return null;
        }
        try
        {
            // A one-shot apply repairs nothing in the background: the drift monitor belongs to the agent.
            return await OvsQosExecutor.ConnectAsync(address, new OvsQosOptions { RepairDrift = false }, cancellationToken: ct);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--ovsdb: {e.Message}");
        }
        catch (OvsdbConnectionException e)
        {
            throw new UsageException($"--ovsdb {address}: {e.Message}");
        }
    }

    private static DomainState? Observe(LibvirtConnection connection, string? uuid)
    {
        if (uuid is null)
        {
            return null;
        }
        try
        {
            using var domain = connection.LookupByUuid(uuid);
            return domain is null ? null : DomainReader.Read(domain);
        }
        catch (LibvirtException e)
        {
            throw new UsageException($"cannot read domain {uuid}: {e.LibvirtMessage}");
        }
    }
}
