namespace KvmNovaTuner.Core.Decoding;

/// <summary>Raised inside the decoder when a field has a shape Nova never sends; caught at the decoder's boundary.</summary>
internal sealed class PayloadShapeException(string message) : Exception(message);
