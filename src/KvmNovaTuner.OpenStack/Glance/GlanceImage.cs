using System.Globalization;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Glance;

/// <summary>A Glance v2 image: status, size, protection and the snapshot properties Nova sets.</summary>
public sealed record GlanceImage(string Id, string Name, string Status, long? SizeBytes, bool Protected,
    DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Nova sets image_type=snapshot on createImage images.</summary>
    public bool IsSnapshot => Properties.TryGetValue("image_type", out var t) && t == "snapshot";

    public string? InstanceUuid => Properties.TryGetValue("instance_uuid", out var u) ? u : null;

    internal static GlanceImage FromJson(JToken j)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in ((JObject)j).Properties())
        {
            if (p.Value.Type is JTokenType.String) properties[p.Name] = (string)p.Value!;
        }
        return new GlanceImage((string)j["id"]!, (string?)j["name"] ?? "", (string?)j["status"] ?? "unknown",
            (long?)j["size"], (bool?)j["protected"] ?? false, Time(j["created_at"]), Time(j["updated_at"]), properties);
    }

    private static DateTimeOffset? Time(JToken? t) => t?.Type switch
    {
        JTokenType.Date => new DateTimeOffset(((DateTime)t).ToUniversalTime(), TimeSpan.Zero),
        JTokenType.String => DateTimeOffset.Parse((string)t!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => null,
    };
}
