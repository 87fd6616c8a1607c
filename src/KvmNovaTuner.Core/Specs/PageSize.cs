namespace KvmNovaTuner.Core.Specs;

/// <summary>What <c>hw:mem_page_size</c> asks for: an alias or an exact size in KiB.</summary>
public sealed record PageSize(PageSizeKind Kind, long? SizeKb)
{
    public const long SmallPageKb = 4;

    public static PageSize Small { get; } = new(PageSizeKind.Small, null);
    public static PageSize Large { get; } = new(PageSizeKind.Large, null);
    public static PageSize Any { get; } = new(PageSizeKind.Any, null);

    public static PageSize OfKb(long sizeKb) => new(PageSizeKind.Size, sizeKb);

    /// <summary>True for an explicit size larger than the 4 KiB base page.</summary>
    public bool IsHugepage => Kind == PageSizeKind.Size && SizeKb > SmallPageKb;
}

/// <summary>The alias (or explicit size) of <c>hw:mem_page_size</c>.</summary>
public enum PageSizeKind
{
    Small,
    Large,
    Any,
    Size,
}
