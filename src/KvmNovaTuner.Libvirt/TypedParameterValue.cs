using System.Globalization;

namespace KvmNovaTuner.Libvirt;

/// <summary>libvirt's <c>virTypedParameterType</c>.</summary>
public enum TypedParameterType
{
    Int = 1,
    UInt = 2,
    LLong = 3,
    ULLong = 4,
    Double = 5,
    Boolean = 6,
    String = 7,
}

/// <summary>One libvirt typed parameter: its field name, its C type and its value as invariant text.</summary>
public sealed record TypedParameterValue(string Name, TypedParameterType Type, string Value)
{
    /// <summary>
    /// Types <paramref name="settings"/> like the parameters the driver reported (<paramref name="reported"/>);
    /// a name the driver did not report gets a type guessed from its text, so libvirt itself names what it rejects.
    /// </summary>
    public static IReadOnlyList<TypedParameterValue> Shape(
        IReadOnlyDictionary<string, string> settings,
        IReadOnlyList<TypedParameterValue> reported)
    {
        var types = reported.ToDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal);
        return settings
            .Select(s => new TypedParameterValue(s.Key, types.TryGetValue(s.Key, out var t) ? t : Guess(s.Value), s.Value))
            .ToList();
    }

    private static TypedParameterType Guess(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? TypedParameterType.ULLong
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? TypedParameterType.LLong
        : TypedParameterType.String;
}

/// <summary>Which definition a change affects: libvirt's <c>virDomainModificationImpact</c>.</summary>
[Flags]
public enum DomainImpact : uint
{
    Current = 0,
    Live = 1,
    Config = 2,
}
