using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// Certificate checks for a cloud: the system store by default, plus a CA bundle when configured; no check
/// at all only when the cloud asks for it (<c>verify: false</c>, <c>insecure: true</c>, <c>OS_INSECURE</c>).
/// </summary>
public sealed class TlsPolicy(bool verify, string? caBundleFile)
{
    private readonly X509Certificate2Collection? bundle = LoadBundle(caBundleFile);

    public bool Verify { get; } = verify;

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!Verify || errors == SslPolicyErrors.None) return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || bundle is null || certificate is null) return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(bundle);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }

    private static X509Certificate2Collection? LoadBundle(string? file)
    {
        if (string.IsNullOrEmpty(file)) return null;
        if (!File.Exists(file)) throw new Auth.CloudConfigException($"CA bundle {file} does not exist");
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(file);
        return collection;
    }
}
