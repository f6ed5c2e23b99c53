using System.Globalization;

namespace MemoryContracts.Schemas;

/// <summary>
/// The Bidi rule for internationalized host names (RFC 5893 section 2). .NET has no public bidirectional class
/// lookup, so the classes come from the blocks of the right-to-left scripts (R and AL), the Arabic-Indic digits (AN),
/// the other decimal digits (EN), the marks (NSM) and the letters of every other script (L).
/// </summary>
internal static class BidiRule
{
    private enum BidiClass
    {
        L,
        R,
        AN,
        EN,
        NSM,
        Other,
    }

    /// <summary>Whether the labels of one host name (as Unicode) keep the rule; it binds only a name with a right-to-left label.</summary>
    public static bool Holds(IReadOnlyList<string> labels)
    {
        var classes = labels.Select(label => label.Select(Classify).ToArray()).ToArray();
        if (!classes.Any(label => label.Any(c => c is BidiClass.R or BidiClass.AN)))
        {
            return true;
        }

        return classes.Where(label => label.Length > 0).All(label => label[0] switch
        {
            BidiClass.R => HoldsRightToLeft(label),
            BidiClass.L => HoldsLeftToRight(label),
            _ => false,
        });
    }

    private static bool HoldsRightToLeft(BidiClass[] label) =>
        !label.Contains(BidiClass.L)
        && Enumerable.Reverse(label).SkipWhile(c => c == BidiClass.NSM).FirstOrDefault() is BidiClass.R or BidiClass.EN or BidiClass.AN
        && !(label.Contains(BidiClass.EN) && label.Contains(BidiClass.AN));

    private static bool HoldsLeftToRight(BidiClass[] label) =>
        !label.Any(c => c is BidiClass.R or BidiClass.AN)
        && Enumerable.Reverse(label).SkipWhile(c => c == BidiClass.NSM).FirstOrDefault() is BidiClass.L or BidiClass.EN;

    private static BidiClass Classify(char c) => c switch
    {
        (>= '\u0660' and <= '\u0669') or '\u066B' or '\u066C' => BidiClass.AN,
        (>= '0' and <= '9') or (>= '\u06F0' and <= '\u06F9') => BidiClass.EN,
        _ when CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark => BidiClass.NSM,
        (>= '\u0590' and <= '\u08FF') or (>= '\uFB1D' and <= '\uFDFF') or (>= '\uFE70' and <= '\uFEFF') => BidiClass.R,
        _ when char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpacingCombiningMark || char.IsSurrogate(c) => BidiClass.L,
        _ => BidiClass.Other,
    };
}
