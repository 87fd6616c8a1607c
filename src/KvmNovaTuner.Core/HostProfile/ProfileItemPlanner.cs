namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// The managed items of a profile on one host, the settings it could not map (with the reason), and the hugepage
/// pools kept above the profile's value because pages are in use or promised to guests (with the reason).
/// </summary>
public sealed record ProfileItems(IReadOnlyList<ManagedItem> Items, IReadOnlyList<string> Problems)
{
    public IReadOnlyList<string> Kept { get; init; } = [];
}

/// <summary>
/// Turns a resolved profile's settings into the host files it manages, expanded over the host's NUMA nodes and block
/// devices. Keys: <c>vm.transparent_hugepages</c>, <c>vm.transparent_hugepage_defrag</c>, <c>ksm.KNOB</c>,
/// <c>sysctl.NAME</c>, <c>hugepages.SIZEkB</c> (pages per node), <c>disk.scheduler</c>; <c>controller.*</c> keys
/// configure the adaptive controllers and manage no file.
/// </summary>
public static class ProfileItemPlanner
{
    private const string ThpDir = "/sys/kernel/mm/transparent_hugepage";

    /// <param name="guests">Guests' hugepage needs: no pool is planned below its pages in use plus these (<see cref="HugepageFloor"/>).</param>
    public static ProfileItems Plan(ResolvedProfile profile, HostFacts host, IReadOnlyList<GuestHugepageNeed>? guests = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(host);
        var items = new List<ManagedItem>();
        var problems = new List<string>();
        var kept = new List<string>();
        var ksmAdaptive = ControllerSettings.From(profile).KsmAdaptive;
        foreach (var (key, value) in profile.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                problems.Add($"setting '{key}' has no section");
                continue;
            }
            var (section, name) = (key[..dot], key[(dot + 1)..]);
            switch (section)
            {
                case "vm" when name == "transparent_hugepages":
                    items.Add(new(key, $"{ThpDir}/enabled", value, ItemStyle.Choice));
                    break;
                case "vm" when name == "transparent_hugepage_defrag":
                    items.Add(new(key, $"{ThpDir}/defrag", value, ItemStyle.Choice));
                    break;
                case "ksm" when IsKnobName(name):
                    items.Add(new(key, $"/sys/kernel/mm/ksm/{name}", value, ItemStyle.Plain, ksmAdaptive && IsAdaptiveKsmKnob(name)));
                    break;
                case "sysctl" when IsSysctlName(name):
                    items.Add(new(key, "/proc/sys/" + name.Replace('.', '/'), value, ItemStyle.Plain));
                    break;
                case "hugepages":
                    items.AddRange(HugepageItems(key, name, value, host, guests, problems, kept));
                    break;
                case "disk" when name == "scheduler":
                    items.AddRange(host.BlockDevices
                        .Where(d => d.SchedulerText is not null && !d.Name.StartsWith("loop", StringComparison.Ordinal) && !d.Name.StartsWith("ram", StringComparison.Ordinal))
                        .Where(d => SysfsChoice.Parse(d.SchedulerText).Offers(value))
                        .Select(d => new ManagedItem($"disk.scheduler.{d.Name}", $"/sys/block/{d.Name}/queue/scheduler", value, ItemStyle.Choice)));
                    break;
                case "controller":
                    break;
                default:
                    problems.Add($"unknown setting '{key}'");
                    break;
            }
        }
        return new ProfileItems(items, problems) { Kept = kept };
    }

    private static List<ManagedItem> HugepageItems(
        string key, string name, string value, HostFacts host, IReadOnlyList<GuestHugepageNeed>? guests, List<string> problems, List<string> kept)
    {
        if (!name.EndsWith("kB", StringComparison.Ordinal) || !long.TryParse(name[..^2], out var size) || !long.TryParse(value, out var pages) || pages < 0)
        {
            problems.Add($"'{key}={value}': expected hugepages.<size>kB=<pages per node>");
            return [];
        }
        var nodes = host.Nodes.Where(n => n.Pools.Any(p => p.PageSizeKb == size)).ToList();
        if (nodes.Count == 0)
        {
            problems.Add($"'{key}': no NUMA node offers {size} kB pages");
        }
        var items = new List<ManagedItem>();
        foreach (var n in nodes)
        {
            var item = $"hugepages.node{n.Id}.{size}kB";
            var pool = n.Pools.First(p => p.PageSizeKb == size);
            var floor = HugepageFloor.Of(n.Id, size, pool.Total, pool.Free, guests);
            var desired = pages;
            if (floor.Pages > pages)
            {
                desired = floor.Pages;
                kept.Add($"{item}: kept {floor.Pages} pages, not the profile's {pages}: {floor.Reason}");
            }
            items.Add(new ManagedItem(item, $"/sys/devices/system/node/node{n.Id}/hugepages/hugepages-{size}kB/nr_hugepages",
                desired.ToString(System.Globalization.CultureInfo.InvariantCulture), ItemStyle.Plain));
        }
        return items;
    }

    private static bool IsAdaptiveKsmKnob(string name) => name is "run" or "pages_to_scan" or "sleep_millisecs";

    private static bool IsKnobName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || c == '_');

    private static bool IsSysctlName(string name) =>
        name.Length > 0 && !name.Contains("..", StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
