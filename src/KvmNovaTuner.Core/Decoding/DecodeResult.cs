using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Text;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>Why a message could not be decoded; the dead-letter reason names it.</summary>
public enum DecodeErrorKind
{
    /// <summary>The body (or the inner oslo.message string) is not valid JSON.</summary>
    BadJson,
    /// <summary>The body is not UTF-8, or a string escape is not valid UTF-16 (a lone surrogate).</summary>
    InvalidText,
    /// <summary>The body is larger than a notification may be (<see cref="NotificationDecoder.MaxMessageBytes"/>).</summary>
    TooLarge,
    /// <summary>Valid JSON, but not an oslo envelope nor a bare notification message.</summary>
    WrongEnvelope,
    /// <summary>A notification whose payload does not have a shape Nova sends.</summary>
    UnknownPayloadShape,
}

/// <summary>A typed decode failure: the kind and a one-line reason naming the problem.</summary>
public sealed record DecodeError(DecodeErrorKind Kind, string Reason)
{
    /// <summary>The reason with its kind, e.g. "bad JSON: ...", as used in logs and dead-letter headers.</summary>
    public override string ToString() => $"{KindText(Kind)}: {Reason}";

    private static string KindText(DecodeErrorKind kind) => kind switch
    {
        DecodeErrorKind.BadJson => "bad JSON",
        DecodeErrorKind.WrongEnvelope => "wrong envelope",
        DecodeErrorKind.InvalidText => "invalid text",
        DecodeErrorKind.TooLarge => "too large",
        _ => "unknown payload shape",
    };
}

/// <summary>The result of decoding one message: either an event or an error, never both.</summary>
public sealed record DecodeResult
{
    private DecodeResult(InstanceEvent? value, DecodeError? error)
    {
        Event = value;
        Error = error;
    }

    public InstanceEvent? Event { get; }
    public DecodeError? Error { get; }
    public bool IsSuccess => Event is not null;

    public static DecodeResult Success(InstanceEvent value) => new(value, null);
    /// <summary>A failure whose reason is made printable and cut short: it may quote untrusted input.</summary>
    public static DecodeResult Failure(DecodeErrorKind kind, string reason) => new(null, new DecodeError(kind, Printable.Escape(reason, MaxReason)));

    /// <summary>The longest reason kept, so that "error: line N: kind: reason" stays one short line.</summary>
    public const int MaxReason = 200;
}
