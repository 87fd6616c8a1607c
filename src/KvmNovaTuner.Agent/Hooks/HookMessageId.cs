using System.Security.Cryptography;
using System.Text;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// The message id of a hook call, derived only from what identifies one operation of one boot: the domain (instance)
/// uuid, the operation, the host's kernel boot id and libvirt's domain id (unique among the domains started since the
/// host booted). The same call therefore has the same id whether it arrives over the socket, from the spool, or both.
/// </summary>
public static class HookMessageId
{
    /// <summary>A name-based UUID (SHA-256 truncated, version 8 layout) prefixed <c>hook-</c>.</summary>
    public static string For(string instanceUuid, string operation, string? bootId, int? domainId)
    {
        var name = string.Join('\n', "kvm-nova-tuner/libvirt-hook", instanceUuid.ToLowerInvariant(), operation, bootId ?? "", domainId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return "hook-" + new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
