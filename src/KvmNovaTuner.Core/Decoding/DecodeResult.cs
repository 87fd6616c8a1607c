using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>Why a message could not be decoded; the dead-letter reason names it.</summary>
public enum DecodeErrorKind
{
    /// <summary>The body (or the inner oslo.message string) is not valid JSON.</summary>
    BadJson,
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
    public static DecodeResult Failure(DecodeErrorKind kind, string reason) => new(null, new DecodeError(kind, reason));
}
