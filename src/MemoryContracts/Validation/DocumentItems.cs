using MemoryContracts.Documents;

namespace MemoryContracts.Validation;

/// <summary>Reads optional lists out of fixtures.</summary>
internal static class DocumentItems
{
    /// <summary>The items of the sequence under a key, or none when the key is absent or not a sequence.</summary>
    public static DocumentNode.ItemEnumerator Of(DocumentNode owner, string name)
    {
        owner.TryGetProperty(name, out var list);
        return list.EnumerateItems();
    }
}
