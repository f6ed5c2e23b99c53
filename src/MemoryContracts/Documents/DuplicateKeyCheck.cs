using System.Runtime.CompilerServices;
using MemoryContracts.Diagnostics;

namespace MemoryContracts.Documents;

/// <summary>Finds keys that appear twice in one mapping, which both readers report as MC1004.</summary>
internal sealed class DuplicateKeyCheck(TapeBuilder tape, Func<int, SourceLocation> locate, List<ContractDiagnostic> diagnostics)
{
    private const int LinearLimit = 16;
    private readonly Dictionary<string, int> _large = new(StringComparer.Ordinal);
    private int[] _keyIndices = new int[LinearLimit];

    /// <summary>Reports every repeated key of the mapping that starts at <paramref name="mappingIndex"/>.</summary>
    [MethodImpl(HotPath.Options)]
    public void Check(int mappingIndex)
    {
        var pairs = tape[mappingIndex].Length;
        if (pairs < 2)
        {
            return;
        }

        if (_keyIndices.Length < pairs)
        {
            _keyIndices = new int[pairs];
        }

        var index = mappingIndex + 1;
        for (var pair = 0; pair < pairs; pair++)
        {
            _keyIndices[pair] = index;
            var value = index + 1;
            index = tape[value].Kind is DocumentValueKind.Mapping or DocumentValueKind.Sequence ? tape[value].Payload : value + 1;
        }

        if (pairs <= LinearLimit)
        {
            for (var i = 1; i < pairs; i++)
            {
                var key = KeyAt(i);
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(key, KeyAt(j), StringComparison.Ordinal))
                    {
                        Report(_keyIndices[i], key, _keyIndices[j]);
                        break;
                    }
                }
            }

            return;
        }

        _large.Clear();
        for (var i = 0; i < pairs; i++)
        {
            var key = KeyAt(i);
            if (_large.TryGetValue(key, out var first))
            {
                Report(_keyIndices[i], key, first);
            }
            else
            {
                _large.Add(key, _keyIndices[i]);
            }
        }
    }

    private string KeyAt(int pair) => tape.Strings[tape[_keyIndices[pair]].Payload];

    private void Report(int repeat, string key, int first) =>
        diagnostics.Add(DiagnosticCatalog.DuplicateKey.Create(locate(repeat), key, locate(first).Line));
}
