using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace KvmNovaTuner.Libvirt.Native;

/// <summary>
/// Unmanaged <c>virTypedParameter</c> arrays: building one from managed values (strings allocated and freed
/// here) and reading one libvirt filled (its strings released with <c>virTypedParamsClear</c>).
/// </summary>
internal sealed unsafe class TypedParameterBuffer : IDisposable
{
    private readonly bool libvirtOwnsStrings;

    private TypedParameterBuffer(int count, bool libvirtOwnsStrings)
    {
        Count = count;
        this.libvirtOwnsStrings = libvirtOwnsStrings;
        Pointer = (TypedParameter*)NativeMemory.AllocZeroed((nuint)Math.Max(count, 1), (nuint)sizeof(TypedParameter));
    }

    public TypedParameter* Pointer { get; private set; }
    public int Count { get; set; }

    /// <summary>An empty buffer for a getter to fill.</summary>
    public static TypedParameterBuffer ForGetter(int count) => new(count, libvirtOwnsStrings: true);

    public static TypedParameterBuffer From(IReadOnlyList<TypedParameterValue> values)
    {
        var buffer = new TypedParameterBuffer(values.Count, libvirtOwnsStrings: false);
        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                Write(&buffer.Pointer[i], values[i]);
            }
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    public IReadOnlyList<TypedParameterValue> Read()
    {
        var list = new List<TypedParameterValue>(Count);
        for (var i = 0; i < Count; i++)
        {
            var p = &Pointer[i];
            var name = Marshal.PtrToStringUTF8((IntPtr)p->Field) ?? "";
            var type = (TypedParameterType)p->Type;
            list.Add(new TypedParameterValue(name, type, ValueText(p, type)));
        }
        return list;
    }

    private static string ValueText(TypedParameter* p, TypedParameterType type) => type switch
    {
        TypedParameterType.Int => ((int)p->LongValue).ToString(CultureInfo.InvariantCulture),
        TypedParameterType.UInt => ((uint)p->LongValue).ToString(CultureInfo.InvariantCulture),
        TypedParameterType.LLong => p->LongValue.ToString(CultureInfo.InvariantCulture),
        TypedParameterType.ULLong => ((ulong)p->LongValue).ToString(CultureInfo.InvariantCulture),
        TypedParameterType.Double => p->DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        TypedParameterType.Boolean => ((int)p->LongValue != 0) ? "true" : "false",
        TypedParameterType.String => p->StringValue == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(p->StringValue) ?? "",
        _ => "",
    };

    private static void Write(TypedParameter* p, TypedParameterValue value)
    {
        var name = Encoding.UTF8.GetBytes(value.Name);
        if (name.Length >= TypedParameter.FieldLength)
        {
            throw new ArgumentException($"typed parameter name '{value.Name}' is longer than libvirt allows");
        }
        for (var i = 0; i < name.Length; i++)
        {
            p->Field[i] = name[i];
        }
        p->Type = (int)value.Type;
        var text = value.Value;
        var c = CultureInfo.InvariantCulture;
        switch (value.Type)
        {
            case TypedParameterType.Int: p->LongValue = int.Parse(text, NumberStyles.AllowLeadingSign, c); break;
            case TypedParameterType.UInt: p->LongValue = uint.Parse(text, NumberStyles.None, c); break;
            case TypedParameterType.LLong: p->LongValue = long.Parse(text, NumberStyles.AllowLeadingSign, c); break;
            case TypedParameterType.ULLong: p->LongValue = (long)ulong.Parse(text, NumberStyles.None, c); break;
            case TypedParameterType.Double: p->DoubleValue = double.Parse(text, NumberStyles.Float, c); break;
            case TypedParameterType.Boolean: p->LongValue = ParseBoolean(text) ? 1 : 0; break;
            case TypedParameterType.String: p->StringValue = Marshal.StringToCoTaskMemUTF8(text); break;
            default: throw new ArgumentException($"unknown typed parameter type {value.Type} for '{value.Name}'");
        }
    }

    private static bool ParseBoolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new FormatException($"'{text}' is not a boolean"),
    };

    public void Dispose()
    {
        if (Pointer == null)
        {
            return;
        }
        if (libvirtOwnsStrings)
        {
            NativeMethods.virTypedParamsClear(Pointer, Count);
        }
        else
        {
            for (var i = 0; i < Count; i++)
            {
                if (Pointer[i].Type == (int)TypedParameterType.String && Pointer[i].StringValue != IntPtr.Zero)
                {
                    Marshal.FreeCoTaskMem(Pointer[i].StringValue);
                }
            }
        }
        NativeMemory.Free(Pointer);
        Pointer = null;
    }
}
