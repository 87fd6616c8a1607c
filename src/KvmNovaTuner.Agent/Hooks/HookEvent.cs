using System.Text.Json.Serialization;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// One libvirt qemu hook call as the hook hands it to the agent (over the socket, or in a spool file): what libvirt
/// passed, what the hook read from the domain XML, and the deterministic message id that makes the socket copy and
/// the spool copy of the same call one event.
/// </summary>
public sealed record HookEvent
{
    /// <summary>Wire format version; the listener refuses versions it does not know.</summary>
    public int Version { get; init; } = 1;
    public required string MessageId { get; init; }
    /// <summary>The libvirt domain name (first hook argument).</summary>
    public required string Domain { get; init; }
    /// <summary>The hook operation: <c>prepare</c>, <c>start</c>, <c>started</c>, <c>stopped</c>, <c>release</c>, ...</summary>
    public required string Operation { get; init; }
    public string SubOperation { get; init; } = "-";
    public string Extra { get; init; } = "-";
    /// <summary>The domain uuid, which Nova sets to the instance uuid.</summary>
    public required string InstanceUuid { get; init; }
    /// <summary>libvirt's id of the running domain (<c>&lt;domain id=…&gt;</c>), part of the boot identity.</summary>
    public int? DomainId { get; init; }
    /// <summary>The host's kernel boot id, the other part of the boot identity.</summary>
    public string? BootId { get; init; }
    /// <summary>When the hook ran (UTC, ISO 8601).</summary>
    public string? Timestamp { get; init; }
    /// <summary>The flavor from Nova's <c>&lt;nova:instance&gt;</c> metadata (extra specs with Nova 32+).</summary>
    public HookFlavor? Flavor { get; init; }
}

/// <summary>The flavor part of <see cref="HookEvent"/>: Nova's domain metadata.</summary>
public sealed record HookFlavor(string? Name, string? Id, int? Vcpus, int? MemoryMb, IReadOnlyDictionary<string, string>? ExtraSpecs);

/// <summary>The listener's one-line answer: <c>queued</c>, <c>duplicate</c> or <c>rejected</c> (with the reason).</summary>
public sealed record HookAck(string Status, string? MessageId, string? Error = null)
{
    public const string Queued = "queued";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";

    /// <summary>True when the agent now owns the event (it is durably queued or was already handled).</summary>
    [JsonIgnore]
    public bool Accepted => Status is Queued or Duplicate;
}

/// <summary>Source-generated JSON for the hook protocol (no reflection: the hook is a short-lived process).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HookEvent))]
[JsonSerializable(typeof(HookAck))]
internal sealed partial class HookJsonContext : JsonSerializerContext;
