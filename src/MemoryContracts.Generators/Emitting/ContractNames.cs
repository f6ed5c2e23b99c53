using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators.Emitting;

/// <summary>
/// Names the generated vocabulary types. The first version of a contract that declares a vocabulary gets the
/// plain name (<c>NodeKind</c>); later versions get the version as a suffix (<c>NodeKindV2</c>), side by side.
/// </summary>
internal static class ContractNames
{
    public static int VersionOf(string schemaVersion)
    {
        var marker = schemaVersion.LastIndexOf(".v", System.StringComparison.Ordinal);
        return marker >= 0 && int.TryParse(schemaVersion.Substring(marker + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;
    }

    /// <summary>The constant of <c>SchemaVersions</c>: family and version, such as <c>GraphV1</c>.</summary>
    public static string SchemaVersionConstant(SchemaModel schema) =>
        Identifiers.ToPascalCase(schema.Family) + "V" + VersionOf(schema.SchemaVersion).ToString(CultureInfo.InvariantCulture);

    /// <summary>The type name of every (schema, vocabulary) pair.</summary>
    public static Dictionary<(string SchemaVersion, string Vocabulary), string> VocabularyTypes(IEnumerable<SchemaModel> schemas)
    {
        var names = new Dictionary<(string, string), string>();
        var ordered = schemas.OrderBy(schema => schema.Family, System.StringComparer.Ordinal).ThenBy(schema => VersionOf(schema.SchemaVersion));
        var first = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var schema in ordered)
        {
            foreach (var vocabulary in schema.Vocabularies)
            {
                if (!first.TryGetValue(vocabulary.Name, out var owner))
                {
                    first.Add(vocabulary.Name, schema.SchemaVersion);
                    names[(schema.SchemaVersion, vocabulary.Name)] = vocabulary.Name;
                }
                else if (owner != schema.SchemaVersion)
                {
                    names[(schema.SchemaVersion, vocabulary.Name)] = vocabulary.Name + "V" + VersionOf(schema.SchemaVersion).ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        return names;
    }

    /// <summary>The companion class of a vocabulary type: <c>NodeKind</c> has <c>NodeKinds</c>.</summary>
    public static string Plural(string typeName)
    {
        var version = typeName.Length;
        while (version > 0 && char.IsDigit(typeName[version - 1]))
        {
            version--;
        }

        var suffix = version < typeName.Length && version > 0 && typeName[version - 1] == 'V' ? typeName.Substring(version - 1) : string.Empty;
        var stem = typeName.Substring(0, typeName.Length - suffix.Length);
        var plural = stem.EndsWith("s", System.StringComparison.Ordinal) ? stem + "es"
            : stem.EndsWith("y", System.StringComparison.Ordinal) && stem.Length > 1 && "aeiou".IndexOf(stem[stem.Length - 2]) < 0 ? stem.Substring(0, stem.Length - 1) + "ies"
            : stem + "s";
        return plural + suffix;
    }
}
