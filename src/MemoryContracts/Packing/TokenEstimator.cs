namespace MemoryContracts.Packing;

/// <summary>Estimates tokens as one per four characters, rounded up: approximate, deterministic and model-independent.</summary>
public static class TokenEstimator
{
    /// <summary>Estimates the tokens of a title and a text joined by a newline.</summary>
    public static int Estimate(string title, string? text)
    {
        var characters = title.Length + (string.IsNullOrEmpty(text) ? 0 : text!.Length + 1);
        return (characters + 3) / 4;
    }
}
