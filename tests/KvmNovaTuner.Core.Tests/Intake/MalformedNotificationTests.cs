using KvmNovaTuner.Core.Decoding;
using static KvmNovaTuner.Core.Tests.Intake.NotificationBuilder;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Malformed input is a typed error whose reason names the problem; the decoder never throws.</summary>
public sealed class MalformedNotificationTests
{
    [TestCase("", DecodeErrorKind.BadJson)]
    [TestCase("{not json", DecodeErrorKind.BadJson)]
    [TestCase("[1,2]", DecodeErrorKind.WrongEnvelope)]
    [TestCase("\"text\"", DecodeErrorKind.WrongEnvelope)]
    [TestCase("{}", DecodeErrorKind.WrongEnvelope)]
    [TestCase("""{"oslo.version":"1.0","oslo.message":"{}"}""", DecodeErrorKind.WrongEnvelope)]
    [TestCase("""{"oslo.message":"{}"}""", DecodeErrorKind.WrongEnvelope)]
    [TestCase("""{"oslo.version":"2.0","oslo.message":{"event_type":"x"}}""", DecodeErrorKind.WrongEnvelope)]
    [TestCase("""{"oslo.version":"2.0","oslo.message":"{broken"}""", DecodeErrorKind.BadJson)]
    [TestCase("""{"oslo.version":"2.0","oslo.message":"[]"}""", DecodeErrorKind.WrongEnvelope)]
    [TestCase("""{"oslo.version":"2.0","oslo.message":"{\"payload\":{}}"}""", DecodeErrorKind.WrongEnvelope)]
    [TestCase("""{"event_type":"instance.create.end","payload":{}}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"instance.create.end","message_id":"m","payload":"text"}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"instance.create.end","message_id":"m"}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"instance.create.end","message_id":"m","payload":{"nova_object.data":[]}}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"instance.create.end","message_id":"m","payload":{"nova_object.data":{"host":"h"}}}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"instance.create.end","message_id":"m","payload":{"nova_object.name":"InstanceCreatePayload","nova_object.data":{"uuid":"u","flavor":"small"}}}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"instance.create.end","message_id":"m","payload":{"nova_object.name":"InstanceCreatePayload","nova_object.data":{"uuid":"u","ip_addresses":{}}}}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"flavor.update","message_id":"m","payload":{"nova_object.data":{"vcpus":"many"}}}""", DecodeErrorKind.UnknownPayloadShape)]
    [TestCase("""{"event_type":"compute.instance.create.end","message_id":"m","payload":{"host":"h"}}""", DecodeErrorKind.UnknownPayloadShape)]
    public void Decode_MalformedInput_ReturnsTypedErrorWithReason(string body, DecodeErrorKind kind)
    {
        var result = NotificationDecoder.Decode(body);
        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error!.Kind, Is.EqualTo(kind), result.Error.ToString());
        Assert.That(result.Error.Reason, Is.Not.Empty);
        Assert.That(result.Error.ToString(), Does.Not.Contain("\n"));
    }

    [Test]
    public void Decode_ErrorText_NamesTheKindAndTheField()
    {
        var error = NotificationDecoder.Decode("""{"event_type":"flavor.update","message_id":"m","payload":{"nova_object.data":{"vcpus":"many"}}}""").Error!;
        Assert.That(error.ToString(), Does.StartWith("unknown payload shape: ").And.Contain("vcpus"));
    }

    [Test]
    public void Decode_TruncatedSample_IsBadJsonNotAnException()
    {
        var line = NovaSamples.AllLines[10];
        for (var cut = 0; cut < line.Length; cut += 97)
        {
            Assert.That(NotificationDecoder.Decode(line[..cut]).IsSuccess, Is.False);
        }
    }

    [Test]
    public void Decode_InnerMessageTruncated_IsBadJsonInsideOsloMessage()
    {
        var error = NotificationDecoder.Decode(Wrap("{\"event_type\": \"instance.create.end\", \"message_id\": ")).Error!;
        Assert.That(error.Kind, Is.EqualTo(DecodeErrorKind.BadJson));
        Assert.That(error.Reason, Does.Contain("oslo.message"));
    }
}
