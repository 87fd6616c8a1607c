using System.Net;
using System.Net.Sockets;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Core.Tests.Ovs;

/// <summary>OVSDB addresses, value notation and transaction results, without a server.</summary>
public sealed class OvsdbProtocolTests
{
    [Test]
    public void Parse_UnixAddress_GivesUnixSocketEndPoint() =>
        Assert.That(OvsdbAddress.Parse("unix:/run/openvswitch/db.sock").EndPoint, Is.TypeOf<UnixDomainSocketEndPoint>());

    [Test]
    public void Parse_TcpAddress_GivesIpEndPoint() =>
        Assert.That(OvsdbAddress.Parse("tcp:127.0.0.1:6640").EndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 6640)));

    [Test]
    public void Parse_TcpHostName_GivesDnsEndPoint() =>
        Assert.That(OvsdbAddress.Parse("tcp:ovsdb.local:6641").EndPoint, Is.EqualTo(new DnsEndPoint("ovsdb.local", 6641)));

    [TestCase("")]
    [TestCase("unix:")]
    [TestCase("tcp:127.0.0.1")]
    [TestCase("tcp:127.0.0.1:0")]
    [TestCase("tcp:127.0.0.1:70000")]
    [TestCase("ssl:127.0.0.1:6640")]
    [TestCase("/run/openvswitch/db.sock")]
    public void Parse_BadAddress_ThrowsFormatExceptionNamingIt(string text) =>
        Assert.That(() => OvsdbAddress.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains($"'{text}'"));

    [Test]
    public void ReadStringMap_MapValue_GivesPairs()
    {
        var value = JArray.Parse("""["map",[["vm-uuid","u1"],["iface-id","p1"]]]""");
        Assert.That(OvsdbValue.ReadStringMap(value), Is.EquivalentTo(new Dictionary<string, string> { ["vm-uuid"] = "u1", ["iface-id"] = "p1" }));
    }

    [TestCase("""["uuid","a"]""", "a")]
    [TestCase("""["set",[["uuid","b"]]]""", "b")]
    [TestCase("""["set",[]]""", null)]
    public void ReadUuid_AtomOrOptionalSet_GivesTheUuidOrNull(string json, string? expected) =>
        Assert.That(OvsdbValue.ReadUuid(JArray.Parse(json)), Is.EqualTo(expected));

    [Test]
    public void ReadUuidMap_QueuesColumn_GivesQueueNumbers() =>
        Assert.That(OvsdbValue.ReadUuidMap(JArray.Parse("""["map",[[0,["uuid","q0"]],[7,["uuid","q7"]]]]""")),
            Is.EquivalentTo(new Dictionary<long, string> { [0] = "q0", [7] = "q7" }));

    [Test]
    public void Map_Pairs_EncodesOvsdbMapNotation() =>
        Assert.That(OvsdbValue.Map([new KeyValuePair<string, string>("k", "v")]).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""["map",[["k","v"]]]"""));

    [Test]
    public void Where_Uuid_IsOneConditionNotFlattened() =>
        Assert.That(OvsdbWhere.Uuid("x").ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""[["_uuid","==",["uuid","x"]]]"""));

    [Test]
    public void EnsureSuccess_ErrorInsideResult_ThrowsNamingTheOperation()
    {
        var result = Result("""[{"rows":[]},{"error":"constraint violation","details":"bad value"},null]""",
            OvsdbOperation.Select("Port", OvsdbWhere.All()), OvsdbOperation.Insert("QoS", []), OvsdbOperation.Delete("Queue", OvsdbWhere.All()));

        var error = Assert.Throws<OvsdbTransactionException>(() => result.EnsureSuccess())!;

        Assert.That((error.OperationIndex, error.Operation, error.Error, error.Details), Is.EqualTo((1, "insert", "constraint violation", "bad value")));
    }

    [Test]
    public void EnsureSuccess_CommitErrorAfterLastOperation_ThrowsWithNoOperation()
    {
        var result = Result("""[{"uuid":["uuid","n"]},{"error":"referential integrity violation"}]""", OvsdbOperation.Insert("Queue", []));

        var error = Assert.Throws<OvsdbTransactionException>(() => result.EnsureSuccess())!;

        Assert.That((error.OperationIndex, error.Operation), Is.EqualTo((1, (string?)null)));
        Assert.That(error.Message, Does.Contain("commit"));
    }

    [Test]
    public void EnsureSuccess_RequiredUpdateMatchedNothing_ThrowsNoRowsMatched()
    {
        var result = Result("""[{"count":0}]""", OvsdbOperation.Update("Interface", OvsdbWhere.All(), []));

        Assert.That(() => result.EnsureSuccess(), Throws.TypeOf<OvsdbNoRowsMatchedException>().With.Property("Table").EqualTo("Interface"));
    }

    [Test]
    public void EnsureSuccess_OptionalUpdateMatchedNothing_Succeeds()
    {
        var result = Result("""[{"count":0}]""", OvsdbOperation.Update("Interface", OvsdbWhere.All(), []).Optional());

        Assert.That(result.EnsureSuccess().Results[0].Count, Is.Zero);
    }

    [Test]
    public void WaitTimeout_IsRecognisedAsLostOptimisticConcurrency()
    {
        var result = Result("""[{"error":"timed out"},null]""", OvsdbOperation.Wait("Interface", OvsdbWhere.All(), ["name"], []), OvsdbOperation.Update("Interface", OvsdbWhere.All(), []));

        Assert.That(result.FirstError()!.IsWaitTimeout, Is.True);
    }

    private static TransactResult Result(string json, params OvsdbOperation[] ops) =>
        new(ops, [.. JArray.Parse(json).Select(t => OvsdbOperationResult.Parse(t))]);
}
