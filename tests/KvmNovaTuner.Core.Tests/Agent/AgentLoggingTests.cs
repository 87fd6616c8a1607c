using System.Text.Json;
using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Logging;
using Microsoft.Extensions.Logging;
using NLog.Targets;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>Structured logs: stable event ids in both layouts.</summary>
public sealed class AgentLoggingTests
{
    private static (ILoggerFactory Factory, MemoryTarget Target) Create(LogFormat format)
    {
        var target = new MemoryTarget("memory");
        var factory = LoggerFactory.Create(b => b.AddAgentNLog(new DefaultOptions("h", format, "Information"), target));
        return (factory, target);
    }

    [Test]
    public void JsonLayout_CarriesEventIdNameAndProperties()
    {
        var (factory, target) = Create(LogFormat.Json);
        using (factory)
        {
            factory.CreateLogger("test").LogInformation(LogEvents.EventHandled, "Handled {InstanceUuid} with {Status}", "u-1", "applied");
        }

        using var line = JsonDocument.Parse(target.Logs.Single());
        var root = line.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("event_id").GetInt32(), Is.EqualTo(2001));
            Assert.That(root.GetProperty("event").GetString(), Is.EqualTo("EventHandled"));
            Assert.That(root.GetProperty("InstanceUuid").GetString(), Is.EqualTo("u-1"));
            Assert.That(root.GetProperty("level").GetString(), Is.EqualTo("info"));
        });
    }

    [Test]
    public void TextLayout_CarriesEventIdAndName()
    {
        var (factory, target) = Create(LogFormat.Text);
        using (factory)
        {
            factory.CreateLogger("test").LogWarning(LogEvents.ReconcileFailed, "scan failed");
        }

        Assert.That(target.Logs.Single(), Does.Contain("WARN  3102/ReconcileFailed test: scan failed"));
    }

    [Test]
    public void MinimumLevel_FiltersLowerLevels()
    {
        var (factory, target) = Create(LogFormat.Text);
        using (factory)
        {
            factory.CreateLogger("test").LogDebug("hidden");
        }
        Assert.That(target.Logs, Is.Empty);
    }

    [Test]
    public void EventIds_AreUnique()
    {
        var ids = typeof(LogEvents).GetFields().Select(f => (EventId)f.GetValue(null)!).ToList();
        Assert.That(ids.Select(i => i.Id), Is.Unique);
        Assert.That(ids.Select(i => i.Name), Is.Unique);
    }
}
