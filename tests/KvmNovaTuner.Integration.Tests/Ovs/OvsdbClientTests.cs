using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>The OVSDB protocol client against a real ovsdb-server, over the unix socket and TCP.</summary>
public sealed class OvsdbClientTests
{
    private const string Db = OvsdbClient.OpenVSwitchDatabase;

    [Test]
    public async Task Transact_ErrorInsideResult_SurfacesAsTypedExceptionNamingTheOperation()
    {
        await using var client = await OvsdbClient.ConnectAsync(OvsTestBed.RequireAddress());

        var result = await client.TransactAsync(Db,
        [
            OvsdbOperation.Select("Bridge", OvsdbWhere.All(), "name"),
            OvsdbOperation.Insert("Bridge", new JObject { ["name"] = "knt-never", ["no_such_column"] = 1 }),
        ]);

        var error = Assert.Throws<OvsdbTransactionException>(() => result.EnsureSuccess())!;
        Assert.That((error.OperationIndex, error.Operation, error.Error), Is.EqualTo((1, "insert", "unknown column")));
        Assert.That(error.Details, Does.Contain("no_such_column"));
    }

    [Test]
    public async Task Transact_UpdateMatchingNothing_SurfacesCountZeroAsTypedException()
    {
        await using var client = await OvsdbClient.ConnectAsync(OvsTestBed.RequireAddress());
        var update = OvsdbOperation.Update("Interface", OvsdbWhere.Equal("name", "knt-no-such-tap"), new JObject { ["ingress_policing_rate"] = 1 });

        var result = await client.TransactAsync(Db, [update]);

        Assert.That(result.Results[0].Count, Is.Zero);
        Assert.That(result.FirstError(), Is.Null, "the server reports no error for it");
        var error = Assert.ThrowsAsync<OvsdbNoRowsMatchedException>(() => client.TransactOrThrowAsync(Db, [update]))!;
        Assert.That(error.Table, Is.EqualTo("Interface"));
        Assert.That((await client.TransactOrThrowAsync(Db, [update.Optional()])).Results[0].Count, Is.Zero);
    }

    [Test]
    public async Task Transact_WaitOnChangedRow_FailsWholeTransactionAtomically()
    {
        await using var client = await OvsdbClient.ConnectAsync(OvsTestBed.RequireAddress());
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        var stale = new JObject { ["ingress_policing_rate"] = 12345 };

        var result = await client.TransactAsync(Db,
        [
            OvsdbOperation.Wait("Interface", OvsdbWhere.Equal("name", tap), ["ingress_policing_rate"], [stale]),
            OvsdbOperation.Update("Interface", OvsdbWhere.Equal("name", tap), new JObject { ["ingress_policing_burst"] = 77 }),
        ]);

        var error = Assert.Throws<OvsdbTransactionException>(() => result.EnsureSuccess())!;
        Assert.That(error.IsWaitTimeout, Is.True, error.Message);
        Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_burst"), Is.EqualTo("0"), "the update did not happen");
        await bed.DeleteBridgeAsync();
    }

    [Test]
    public async Task Mutate_MapInsertThenDelete_ChangesOnlyThoseKeys()
    {
        await using var client = await OvsdbClient.ConnectAsync(OvsTestBed.RequireAddress());
        var bed = await OvsTestBed.CreateAsync();
        var where = OvsdbWhere.Equal("name", bed.Taps[0]);

        await client.TransactOrThrowAsync(Db, [OvsdbOperation.Mutate("Interface", where,
            new JArray("external_ids", "insert", OvsdbValue.Map([new KeyValuePair<string, string>("knt-test", "1")])))]);
        Assert.That(await bed.GetAsync("Interface", bed.Taps[0], "external_ids:knt-test"), Is.EqualTo("1"));
        await client.TransactOrThrowAsync(Db, [OvsdbOperation.Mutate("Interface", where,
            new JArray("external_ids", "delete", OvsdbValue.Set([new JValue("knt-test")])))]);

        Assert.That(await bed.VsctlAsync("--if-exists", "get", "Interface", bed.Taps[0], "external_ids:knt-test"), Is.Empty);
        Assert.That(await bed.GetAsync("Interface", bed.Taps[0], "external_ids:vm-uuid"), Is.EqualTo(bed.InstanceUuid));
        var missing = OvsdbOperation.Mutate("Interface", OvsdbWhere.Equal("name", "knt-no-such-tap"), new JArray("ingress_policing_rate", "+=", 1));
        await Assert.ThatAsync(() => client.TransactOrThrowAsync(Db, [missing]), Throws.TypeOf<OvsdbNoRowsMatchedException>());
        await bed.DeleteBridgeAsync();
    }

    [Test]
    public async Task Monitor_ExternalChange_DeliversInitialRowsThenTheUpdate()
    {
        await using var client = await OvsdbClient.ConnectAsync(ServiceEnvironment.Require("KNT_OVSDB_TCP", "ovsdb-server (tcp)"));
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        var initial = new TaskCompletionSource<OvsdbUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource<OvsdbRowChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var columns = new Dictionary<string, IReadOnlyList<string>> { ["Interface"] = ["name", "mtu_request"] };

        await using var monitor = await client.MonitorAsync(Db, columns, update =>
        {
            if (update.Initial)
            {
                initial.TrySetResult(update);
                return;
            }
            foreach (var change in update.Changes().Where(c => c.New?["name"]?.ToString() == tap && c.Old is not null))
            {
                changed.TrySetResult(change);
            }
        });
        await bed.VsctlAsync("set", "Interface", tap, "mtu_request=1400");

        var first = await initial.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(first.Changes().Select(c => c.New?["name"]?.ToString()), Does.Contain(tap));
        var row = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(row.New!["mtu_request"]!.Value<long>(), Is.EqualTo(1400));
        await bed.DeleteBridgeAsync();
    }

    [Test]
    public async Task Echo_IdleTcpConnection_AnswersTheServersProbeAndStaysConnected()
    {
        // ovsdb-server probes an idle TCP client with echo every 5 s and drops it when unanswered; the client's own
        // keepalive is off here so that only its answers keep the connection.
        var options = new OvsdbClientOptions { KeepaliveInterval = TimeSpan.Zero };
        await using var client = await OvsdbClient.ConnectAsync(ServiceEnvironment.Require("KNT_OVSDB_TCP", "ovsdb-server (tcp)"), options);

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (client.ServerEchoesAnswered < 2 && elapsed.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(200);
        }

        Assert.That(client.ServerEchoesAnswered, Is.GreaterThanOrEqualTo(2));
        Assert.That(client.ReconnectCount, Is.Zero);
        await client.EchoAsync();
    }

    [Test]
    public void Connect_NothingListening_ThrowsConnectionExceptionNamingTheAddress()
    {
        var error = Assert.ThrowsAsync<OvsdbConnectionException>(() => OvsdbClient.ConnectAsync("unix:/nonexistent/knt/db.sock"))!;
        Assert.That(error.Message, Does.Contain("unix:/nonexistent/knt/db.sock"));
    }
}
