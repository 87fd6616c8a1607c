using System.Net;
using System.Net.Sockets;
using System.Text;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Core.Tests.Ovs;

/// <summary>Echo in both directions against an in-process fake server on 127.0.0.1 (no OVS needed).</summary>
public sealed class OvsdbKeepaliveTests
{
    private TcpListener _listener = null!;

    private string Address => $"tcp:127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    [SetUp]
    public void Listen()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
    }

    [TearDown]
    public void Stop() => _listener.Dispose();

    [Test]
    public async Task ServerEcho_IsAnsweredWithItsOwnParams()
    {
        await using var client = await OvsdbClient.ConnectAsync(Address, new OvsdbClientOptions { KeepaliveInterval = TimeSpan.Zero });
        using var server = await _listener.AcceptTcpClientAsync();
        var stream = server.GetStream();

        await stream.WriteAsync(Encoding.UTF8.GetBytes("""{"id":"echo","method":"echo","params":["ping-1"]}"""));
        var reply = await ReadObjectAsync(stream).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(reply["id"]!.ToString(), Is.EqualTo("echo"));
        Assert.That(reply["result"]!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""["ping-1"]"""));
        Assert.That(reply["error"]!.Type, Is.EqualTo(JTokenType.Null));
    }

    [Test]
    public async Task Keepalive_PeerStopsAnswering_ConnectionIsDroppedAndReopened()
    {
        var options = new OvsdbClientOptions
        {
            KeepaliveInterval = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        };
        await using var client = await OvsdbClient.ConnectAsync(Address, options);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += () => reconnected.TrySetResult();
        using var silent = await _listener.AcceptTcpClientAsync(); // accepts, never answers the client's echo

        var second = _listener.AcceptTcpClientAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(client.ReconnectCount, Is.EqualTo(1));
        using var _ = await second;
    }

    [Test]
    public async Task Request_ServerAnswersOutOfOrder_EachCallerGetsItsOwnResult()
    {
        await using var client = await OvsdbClient.ConnectAsync(Address, new OvsdbClientOptions { KeepaliveInterval = TimeSpan.Zero });
        using var server = await _listener.AcceptTcpClientAsync();
        var stream = server.GetStream();

        var first = client.TransactAsync("db", [OvsdbOperation.Select("A", OvsdbWhere.All())]);
        var second = client.TransactAsync("db", [OvsdbOperation.Select("B", OvsdbWhere.All())]);
        var requests = new[] { await ReadObjectAsync(stream), await ReadObjectAsync(stream) };
        foreach (var request in requests.Reverse())
        {
            var table = request["params"]![1]!["table"]!.ToString();
            var answer = new JObject { ["id"] = request["id"], ["result"] = new JArray(new JObject { ["rows"] = new JArray(new JObject { ["t"] = table }) }), ["error"] = null };
            await stream.WriteAsync(Encoding.UTF8.GetBytes(answer.ToString(Newtonsoft.Json.Formatting.None)));
        }

        Assert.That((await first.WaitAsync(TimeSpan.FromSeconds(10))).Rows(0)[0]["t"]!.ToString(), Is.EqualTo("A"));
        Assert.That((await second.WaitAsync(TimeSpan.FromSeconds(10))).Rows(0)[0]["t"]!.ToString(), Is.EqualTo("B"));
    }

    /// <summary>Reads one JSON object from the stream (the protocol has no framing: objects follow each other).</summary>
    private static async Task<JObject> ReadObjectAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var depth = 0;
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            depth += one[0] switch { (byte)'{' => 1, (byte)'}' => -1, _ => 0 };
            if (depth == 0 && one[0] == (byte)'}')
            {
                return JObject.Parse(Encoding.UTF8.GetString([.. buffer]));
            }
        }
        throw new EndOfStreamException();
    }
}
