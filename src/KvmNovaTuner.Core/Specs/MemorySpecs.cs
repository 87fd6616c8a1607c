namespace KvmNovaTuner.Core.Specs;

/// <summary>Reads <c>hw:mem_page_size</c>, <c>hw:numa_nodes</c>, <c>hw:locked_memory</c> and <c>hw:vif_multiqueue_enabled</c>.</summary>
internal static class MemorySpecs
{
    private static readonly long[] KnownHugepageSizesKb = [2048, 1048576];

    public static TuningSpec Read(SpecReader r, TuningSpec spec)
    {
        var pageSize = ReadPageSize(r);
        var locked = r.Bool(SpecKeys.LockedMemory);
        if (locked == true && pageSize is null)
        {
            r.Error(SpecKeys.LockedMemory, r.Raw(SpecKeys.LockedMemory), "needs hw:mem_page_size (Nova refuses locked memory without an explicit page size)", "add hw:mem_page_size, e.g. large");
        }
        var nodes = r.Int(SpecKeys.NumaNodes, 1, 64);
        return spec with
        {
            MemPageSize = pageSize,
            LockedMemory = locked,
            VifMultiqueue = r.Bool(SpecKeys.VifMultiqueue),
            NumaNodes = nodes,
            NumaCells = NumaSpecs.ReadCells(r, nodes, spec.Vcpus, spec.MemoryMb),
        };
    }

    private static PageSize? ReadPageSize(SpecReader r)
    {
        var text = r.Raw(SpecKeys.MemPageSize);
        if (text is null)
        {
            return null;
        }
        var size = PageSizeParser.Parse(text, out var problem, out var rejectedByApi);
        if (size is null)
        {
            const string fix = "write small, large, any, a number of KiB (2048) or an IEC size (2MiB, 2MB, 1GiB)";
            if (rejectedByApi)
            {
                r.Error(SpecKeys.MemPageSize, text, problem!, fix);
            }
            else
            {
                r.Warning(SpecKeys.MemPageSize, text, problem!, fix);
            }
            return null;
        }
        if (size.Kind == PageSizeKind.Size && size.SizeKb != PageSize.SmallPageKb && !KnownHugepageSizesKb.Contains(size.SizeKb!.Value))
        {
            r.Warning(SpecKeys.MemPageSize, text, $"is {size.SizeKb} KiB, not a page size x86 hosts offer (4, 2048 or 1048576 KiB)", "use 2048 (2 MiB) or 1048576 (1 GiB)");
        }
        return size;
    }
}
