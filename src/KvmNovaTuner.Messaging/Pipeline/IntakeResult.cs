using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Messaging.Pipeline;

/// <summary>What the intake did with one message.</summary>
public enum IntakeDisposition
{
    /// <summary>Accepted by the filter and given to the handler; outcome journaled.</summary>
    Handled,
    /// <summary>Dropped by the filter; the reason journaled.</summary>
    Ignored,
    /// <summary>Already handled (a broker redelivery); nothing journaled again.</summary>
    Duplicate,
    /// <summary>Could not be decoded: goes to the dead-letter queue with the reason.</summary>
    Poison,
}

/// <summary>The result of one message through the intake pipeline.</summary>
public sealed record IntakeResult(IntakeDisposition Disposition, string Detail, InstanceEvent? Event = null)
{
    public string? MessageId => Event?.MessageId;
}
