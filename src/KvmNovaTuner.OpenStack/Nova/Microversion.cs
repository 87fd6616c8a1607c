using System.Globalization;

namespace KvmNovaTuner.OpenStack.Nova;

/// <summary>A compute API microversion (2.NN), sent as <c>OpenStack-API-Version: compute 2.NN</c>.</summary>
public readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    /// <summary>The newest microversion this client is written against.</summary>
    public static readonly Microversion Preferred = new(2, 88);
    /// <summary>Flavor extra specs in server responses.</summary>
    public static readonly Microversion ServerFlavorExtraSpecs = new(2, 47);
    /// <summary>Flavor descriptions.</summary>
    public static readonly Microversion FlavorDescription = new(2, 55);
    /// <summary>Extra specs inline in flavor responses.</summary>
    public static readonly Microversion FlavorExtraSpecsInline = new(2, 61);

    public static Microversion Parse(string? text)
    {
        var parts = (text ?? "").Split('.');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return new Microversion(major, minor);
        }
        return new Microversion(2, 1);
    }

    public int CompareTo(Microversion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(Microversion a, Microversion b) => a.CompareTo(b) < 0;
    public static bool operator >(Microversion a, Microversion b) => a.CompareTo(b) > 0;
    public static bool operator <=(Microversion a, Microversion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Microversion a, Microversion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}";
}
