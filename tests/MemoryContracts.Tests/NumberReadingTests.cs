using System.Text;
using MemoryContracts.Documents;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// The number readers that skip building strings (integers and finite decimals read straight from the source bytes)
/// against the string path they shortcut, for every spelling YAML and JSON allow and a few they do not.
/// </summary>
public sealed class NumberReadingTests
{
    private static readonly string[] YamlSpellings =
    [
        "5", "-0", "007", "+5", "0x1F", "0o17", "-12", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "1e400", "-1e400", "1.5", ".5", "-.5e3", "5.", "1E+2", "+1.5", ".inf", "-.inf", ".nan", ".NaN", "1_000", "0.1e-400",
    ];

    private static readonly string[] JsonSpellings = ["5", "-0", "-12", "9223372036854775807", "9223372036854775808", "1e400", "1.5", "-1.5E-3", "0.1e-400", "1E+2"];

    [Fact]
    public void Integers_and_json_numbers_read_from_bytes_agree_with_the_string_path()
    {
        var checkedValues = 0;
        foreach (var (name, text) in new[]
        {
            ("numbers.yaml", string.Concat(YamlSpellings.Select(spelling => $"- {spelling}\n"))),
            ("numbers.json", "[" + string.Join(",", JsonSpellings) + "]"),
        })
        {
            var loaded = DocumentLoader.Load(name, Encoding.UTF8.GetBytes(text));
            Assert.Empty(loaded.Diagnostics);
            foreach (var value in loaded.Document!.Root.EnumerateItems())
            {
                var expectedInteger = value.Kind == DocumentValueKind.Integer && ScalarSyntax.TryParseInteger(value.GetString(), out var integer) ? integer : (long?)null;
                Assert.Equal(expectedInteger, value.TryGetInt64(out var read) ? read : null);
                Assert.Equal(value.GetJsonNumber() is not null, value.IsJsonNumber());
                checkedValues++;
            }
        }

        Assert.Equal(YamlSpellings.Length + JsonSpellings.Length, checkedValues);
    }
}
