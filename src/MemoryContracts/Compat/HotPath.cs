using System.Runtime.CompilerServices;

namespace MemoryContracts;

/// <summary>
/// Marks methods whose loops walk whole documents. They are compiled fully optimized on first call instead of
/// starting as unoptimized tier-0 code, which a single command-line run would otherwise spend most of its time in.
/// </summary>
internal static class HotPath
{
    /// <summary><c>MethodImplOptions.AggressiveOptimization</c>, spelled by value so netstandard2.0 compiles it too; .NET Framework ignores it.</summary>
    public const MethodImplOptions Options = (MethodImplOptions)512;
}
