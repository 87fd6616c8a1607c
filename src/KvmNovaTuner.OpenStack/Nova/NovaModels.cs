using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Nova;

/// <summary>A Nova flavor with its extra specs.</summary>
public sealed record NovaFlavor(string Id, string Name, int Vcpus, int RamMb, int DiskGb, string? Description, bool IsPublic,
    IReadOnlyDictionary<string, string> ExtraSpecs)
{
    internal static NovaFlavor FromJson(JToken f) => new(
        (string)f["id"]!, (string)f["name"]!, (int?)f["vcpus"] ?? 0, (int?)f["ram"] ?? 0, (int?)f["disk"] ?? 0,
        (string?)f["description"], (bool?)f["os-flavor-access:is_public"] ?? true, StringMap(f["extra_specs"]));

    internal static IReadOnlyDictionary<string, string> StringMap(JToken? token) =>
        token is JObject obj
            ? obj.Properties().ToDictionary(p => p.Name, p => p.Value.Type == JTokenType.String ? (string)p.Value! : p.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The parts of a Nova server the tuner reads: state, flavor (with extra specs from 2.47), metadata, tags.</summary>
public sealed record NovaServer(string Id, string Name, string Status, string? VmState, string? TaskState, bool Locked,
    string? FlavorName, IReadOnlyDictionary<string, string> FlavorExtraSpecs, IReadOnlyDictionary<string, string> Metadata,
    string? ImageId, IReadOnlyList<string> Tags, string? Fault)
{
    internal static NovaServer FromJson(JToken s) => new(
        (string)s["id"]!, (string?)s["name"] ?? "", (string?)s["status"] ?? "UNKNOWN",
        (string?)s["OS-EXT-STS:vm_state"], (string?)s["OS-EXT-STS:task_state"], (bool?)s["locked"] ?? false,
        (string?)s["flavor"]?["original_name"] ?? (string?)s["flavor"]?["id"],
        NovaFlavor.StringMap(s["flavor"]?["extra_specs"]), NovaFlavor.StringMap(s["metadata"]),
        s["image"] is JObject image ? (string?)image["id"] : null,
        s["tags"] is JArray tags ? tags.Select(t => (string)t!).ToList() : [],
        (string?)s["fault"]?["message"]);
}

/// <summary>What a new flavor is made of.</summary>
public sealed record FlavorSpec(string Name, int Vcpus, int RamMb, int DiskGb, string? Description, bool IsPublic = true);
