using System.Diagnostics;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Agent.Demo;

/// <summary>
/// A private ovsdb-server for the demo: a fresh Open_vSwitch database in the work directory, served on a unix
/// socket only, started as a child process and stopped by its pid. Ports are created over OVSDB JSON-RPC and
/// tagged like os-vif does (<c>vm-uuid</c>, <c>iface-id</c>, <c>attached-mac</c>).
/// </summary>
public sealed class DemoOvsdb : IAsyncDisposable
{
    private readonly Process _server;

    private DemoOvsdb(Process server, string socket)
    {
        _server = server;
        Address = $"unix:{socket}";
    }

    public string Address { get; }

    public int Pid => _server.Id;

    /// <summary>Where ovsdb-server and its schema are, or null (with the reason) when Open vSwitch is not installed.</summary>
    public static (string Server, string Tool, string Schema)? Locate(out string reason)
    {
        string? Find(string name) => new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" }
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        var server = Find("ovsdb-server");
        var tool = Find("ovsdb-tool");
        const string schema = "/usr/share/openvswitch/vswitch.ovsschema";
        reason = server is null || tool is null || !File.Exists(schema)
            ? "Open vSwitch's database server is not installed (Debian package openvswitch-switch)"
            : "";
        return reason.Length == 0 ? (server!, tool!, schema) : null;
    }

    public static async Task<DemoOvsdb> StartAsync(string directory, (string Server, string Tool, string Schema) binaries, CancellationToken cancellationToken)
    {
        var db = Path.Combine(directory, "conf.db");
        var socket = Path.Combine(directory, "db.sock");
        using (var create = Process.Start(new ProcessStartInfo(binaries.Tool, ["create", db, binaries.Schema]) { RedirectStandardError = true })!)
        {
            await create.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (create.ExitCode != 0) throw new InvalidOperationException($"ovsdb-tool create failed: {await create.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}");
        }
        var info = new ProcessStartInfo(binaries.Server,
            [db, $"--remote=punix:{socket}", $"--unixctl={Path.Combine(directory, "ovsdb.ctl")}", $"--log-file={Path.Combine(directory, "ovsdb.log")}", "--no-chdir"])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        var server = Process.Start(info)!;
        var started = new DemoOvsdb(server, socket);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(socket))
        {
            if (server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                await started.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException("ovsdb-server did not open its socket (see ovsdb.log in the work directory)");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return started;
    }

    /// <summary>Creates br-int with one port per instance, tagged with the instance uuid like os-vif.</summary>
    public async Task CreatePortsAsync(IReadOnlyList<InstanceEvent> instances, CancellationToken cancellationToken)
    {
        await using var client = await OvsdbClient.ConnectAsync(Address, cancellationToken: cancellationToken).ConfigureAwait(false);
        var ops = new List<OvsdbOperation>();
        var portRefs = new List<JToken>();
        foreach (var (instance, i) in instances.Select((x, i) => (x, i)))
        {
            var port = instance.Ports.First();
            ops.Add(OvsdbOperation.Insert("Interface", new JObject
            {
                ["name"] = port.DeviceName,
                ["external_ids"] = OvsdbValue.Map(new Dictionary<string, string>
                {
                    ["vm-uuid"] = instance.InstanceUuid!, ["iface-id"] = port.PortUuid ?? "", ["attached-mac"] = port.MacAddress ?? "", ["iface-status"] = "active",
                }),
            }, $"if{i}"));
            ops.Add(OvsdbOperation.Insert("Port", new JObject { ["name"] = port.DeviceName, ["interfaces"] = OvsdbValue.NamedUuid($"if{i}") }, $"port{i}"));
            portRefs.Add(OvsdbValue.NamedUuid($"port{i}"));
        }
        ops.Add(OvsdbOperation.Insert("Bridge", new JObject { ["name"] = "br-int", ["ports"] = OvsdbValue.Set(portRefs) }, "br"));
        ops.Add(OvsdbOperation.Insert("Open_vSwitch", new JObject { ["bridges"] = OvsdbValue.NamedUuid("br") }));
        await client.TransactOrThrowAsync(OvsdbClient.OpenVSwitchDatabase, ops, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill();
            await _server.WaitForExitAsync().ConfigureAwait(false);
        }
        _server.Dispose();
    }
}
