using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Recovery;

namespace KvmNovaTuner.Core.Tests.Recovery;

/// <summary>Which events say "the instance went to ERROR".</summary>
public sealed class InstanceErrorStateTests
{
    [TestCase("instance.update", "error", true)]
    [TestCase("compute.instance.update", "ERROR", true)]
    [TestCase("instance.update", "active", false)]
    [TestCase("instance.create.error", "error", false)]
    [TestCase("instance.delete.end", "error", false)]
    public void IsErrorUpdate_OnlyAnUpdateIntoError(string type, string state, bool expected)
    {
        var e = new InstanceEvent { Format = NotificationFormat.Versioned, EventType = type, MessageId = "m", State = state };

        Assert.That(InstanceErrorState.IsErrorUpdate(e), Is.EqualTo(expected));
    }
}
