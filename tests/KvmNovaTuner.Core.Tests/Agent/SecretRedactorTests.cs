using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Core.Secrets;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>Secrets are masked wherever a value may be shown.</summary>
public sealed class SecretRedactorTests
{
    [TestCase("amqp://nova:pw@h:5672/", "amqp://nova:***@h:5672/")]
    [TestCase("rabbit://u1:p1@h1:5672,u2:p2@h2:5672/vhost", "rabbit://u1:***@h1:5672,u2:***@h2:5672/vhost")]
    [TestCase("amqp://h:5672/", "amqp://h:5672/")]
    [TestCase("amqp://user@h/", "amqp://user@h/")]
    [TestCase("amqps://nova:p%40ss@h/", "amqps://nova:***@h/")]
    public void RedactUrl_MasksOnlyPasswords(string url, string expected) =>
        Assert.That(SecretRedactor.RedactUrl(url), Is.EqualTo(expected));

    [TestCase("password")]
    [TestCase("admin_password")]
    [TestCase("application_credential_secret")]
    [TestCase("auth_token")]
    public void Redact_SecretNamedKeys_AreMasked(string key) =>
        Assert.That(SecretRedactor.Redact(key, "visible"), Is.EqualTo(SecretRedactor.Mask));

    [Test]
    public void Redact_OrdinaryKey_KeepsValue() =>
        Assert.That(SecretRedactor.Redact("uri", "qemu:///system"), Is.EqualTo("qemu:///system"));
}
