namespace KvmNovaTuner.Core.Decoding;

/// <summary>
/// Which compute host an event is for: the payload's host when set; otherwise the publisher's host, but only
/// when the publisher is a compute service (<c>nova-compute:HOST</c>, legacy <c>compute.HOST</c>). Conductor
/// and API publishers name their own host, not the instance's.
/// </summary>
public static class HostRule
{
    public static string? Resolve(string? payloadHost, string? publisherId)
    {
        if (!string.IsNullOrEmpty(payloadHost))
        {
            return payloadHost;
        }
        return ComputePublisherHost(publisherId);
    }

    /// <summary>The host of a compute publisher id, or null for any other publisher.</summary>
    public static string? ComputePublisherHost(string? publisherId)
    {
        if (string.IsNullOrEmpty(publisherId))
        {
            return null;
        }
        const string versioned = "nova-compute:";
        const string legacy = "compute.";
        if (publisherId.StartsWith(versioned, StringComparison.Ordinal) && publisherId.Length > versioned.Length)
        {
            return publisherId[versioned.Length..];
        }
        if (publisherId.StartsWith(legacy, StringComparison.Ordinal) && publisherId.Length > legacy.Length)
        {
            return publisherId[legacy.Length..];
        }
        return null;
    }
}
