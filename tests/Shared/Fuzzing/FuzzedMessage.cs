namespace KvmNovaTuner.Tests.Fuzzing;

/// <summary>What the fuzzer did to a sample.</summary>
public enum MutationKind
{
    /// <summary>Nova's sample unchanged.</summary>
    None,
    /// <summary>The same message re-serialised compactly (different bytes, same meaning).</summary>
    Compact,
    /// <summary>Escaped control and escape characters (<c>\u001b[31m</c>, BEL, NUL) in the display name.</summary>
    EscapedControlInName,
    /// <summary>One to four flipped bits anywhere: may or may not still decode.</summary>
    ByteFlip,
    /// <summary>Cut before the closing brace.</summary>
    Truncation,
    /// <summary>A byte sequence that is not UTF-8 inside the oslo.message string.</summary>
    InvalidUtf8,
    /// <summary>An unescaped control character inside the oslo.message string.</summary>
    RawControlCharacter,
    /// <summary>A payload field nested deeper than the decoder allows.</summary>
    DeepNesting,
    /// <summary>A display name longer than the message size limit.</summary>
    HugeString,
    /// <summary>A number where the event type or the instance uuid belongs.</summary>
    NumberForString,
    /// <summary><c>not-a-uuid; rm -rf /</c> where the instance uuid belongs.</summary>
    HostileUuid,
    /// <summary>A duplicated <c>event_type</c> in the message, or a second <c>oslo.message</c> in the envelope.</summary>
    DuplicateKey,
    /// <summary>Two envelopes in one body (a JSON-lines batch sent as one message).</summary>
    TwoMessagesInOneBody,
}

/// <summary>Whether a mutated message must still decode.</summary>
public enum Expectation
{
    /// <summary>Must decode to the same event as the sample.</summary>
    Valid,
    /// <summary>Must be rejected with a reason.</summary>
    Invalid,
    /// <summary>Either (a bit flip inside a free-text value can leave a valid message): ask the decoder.</summary>
    Unknown,
}

/// <summary>One fuzzed body: its position in the run, the sample it came from, what was done and what to expect.</summary>
public sealed record FuzzedMessage(int Index, int SampleIndex, MutationKind Kind, Expectation Expected, byte[] Body);
