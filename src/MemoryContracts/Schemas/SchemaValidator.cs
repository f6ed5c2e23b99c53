using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text.RegularExpressions;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>
/// Checks a document against a compiled schema in one walk. This is the default engine; the NJsonSchema engine of
/// the <c>MemoryContracts.Reference</c> package is the reference it is tested against.
/// </summary>
internal sealed class SchemaValidator
{
    private readonly List<SchemaViolation> _violations = new();

    /// <summary>Validates a document's root against a contract.</summary>
    public static IReadOnlyList<SchemaViolation> Validate(DocumentNode root, ContractSchema contract) => Validate(root, contract.Root);

    /// <summary>Validates a value against a compiled schema.</summary>
    public static IReadOnlyList<SchemaViolation> Validate(DocumentNode instance, SchemaNode schema)
    {
        var validator = new SchemaValidator();
        validator.Check(instance, schema);
        if (validator._unlisted > 0)
        {
            var last = validator._violations[validator._violations.Count - 1];
            validator._violations.Add(new SchemaViolation(instance, string.Empty, last.Keyword, $"{validator._unlisted} more schema violation(s) in this file are not listed; the first {MaximumViolations} are", null));
        }

        return validator._violations;
    }

    /// <summary>How many violations one validation lists; the rest are counted in one closing line, so a hostile file cannot fill memory with reports.</summary>
    internal const int MaximumViolations = 1000;

    private int _unlisted;

    private static bool IsValid(DocumentNode instance, SchemaNode schema) => Validate(instance, schema).Count == 0;

    [MethodImpl(HotPath.Options)]
    private void Check(DocumentNode instance, SchemaNode schema)
    {
        schema = schema.Target;
        if (schema.Types != SchemaTypes.Any && !MatchesType(instance, schema.Types))
        {
            Report(instance, SchemaKeyword.Type, $"{InstancePath.ToDisplay(instance)} must be {DescribeTypes(schema.Types)}, not {instance.Describe()}");
            return;
        }

        if (schema.Const is { } constant && !constant.Matches(instance))
        {
            Report(instance, SchemaKeyword.Const, $"{InstancePath.ToDisplay(instance)} must be {constant}, not {instance.Describe()}");
        }

        if (schema.Enum is not null)
        {
            CheckEnum(instance, schema);
        }

        switch (instance.Kind)
        {
            case DocumentValueKind.Mapping:
                CheckObject(instance, schema);
                break;
            case DocumentValueKind.Sequence:
                CheckArray(instance, schema);
                break;
            case DocumentValueKind.String:
                CheckString(instance, schema);
                break;
            case DocumentValueKind.Integer:
            case DocumentValueKind.Float:
                CheckNumber(instance, schema);
                break;
        }

        CheckCombinators(instance, schema);
    }

    private void CheckEnum(DocumentNode instance, SchemaNode schema)
    {
        var matches = schema.StringEnum is not null
            ? instance.IsStringOneOf(schema.StringEnum, schema.Utf8StringEnum!)
            : MatchesAny(instance, schema.Enum!);
        if (matches)
        {
            return;
        }

        if (schema.Vocabulary is { } vocabulary)
        {
            var value = instance.GetString();
            var message = instance.IsString
                ? $"unknown {vocabulary.Noun} '{value}'{Suggestions.Hint(vocabulary.SuggestFor(value))}; {Cardinal(vocabulary.Terms.Count)} {vocabulary.Noun}s are defined"
                : $"{InstancePath.ToDisplay(instance)} must be a {vocabulary.Noun}, not {instance.Describe()}";
            Report(instance, SchemaKeyword.Enum, message, vocabulary.DiagnosticCode);
            return;
        }

        var allowed = string.Join(", ", schema.Enum!.Take(8).Select(constant => constant.ToString())) + (schema.Enum!.Length > 8 ? ", ..." : string.Empty);
        Report(instance, SchemaKeyword.Enum, $"{InstancePath.ToDisplay(instance)} must be one of {allowed}, not {instance.Describe()}");
    }

    [MethodImpl(HotPath.Options)]
    private void CheckObject(DocumentNode instance, SchemaNode schema)
    {
        var properties = schema.Properties;
        ulong seen = 0;
        foreach (var (key, value) in instance.EnumerateProperties())
        {
            var name = key.GetString();
            if (schema.PropertyNames is not null)
            {
                Check(key, schema.PropertyNames);
            }

            PropertySchema? property = null;
            if (properties is not null && properties.TryGetValue(name, out property) && property.RequiredBit >= 0)
            {
                seen |= 1UL << property.RequiredBit;
            }

            var declared = property?.Schema is not null;
            if (declared)
            {
                Check(value, property!.Schema!);
            }

            if (schema.PatternProperties is not null && CheckPatternProperties(value, name, schema.PatternProperties))
            {
                continue;
            }

            if (declared)
            {
                continue;
            }

            if (schema.AdditionalPropertiesForbidden)
            {
                var hint = Suggestions.Hint(properties is null ? null : Suggestions.Closest(name, properties.Where(pair => pair.Value.Schema is not null).Select(pair => pair.Key)));
                Report(key, InstancePath.ToPointer(instance, name), SchemaKeyword.AdditionalProperties, $"{InstancePath.ToDisplay(instance)} has no property '{name}'{hint}", null);
            }
            else if (schema.AdditionalProperties is not null)
            {
                Check(value, schema.AdditionalProperties);
            }
        }

        if (schema.MinProperties is not null || schema.MaxProperties is not null || schema.DependentRequired is not null || schema.DependentSchemas is not null)
        {
            CheckObjectShape(instance, schema);
        }

        var required = schema.Required;
        if (seen != schema.RequiredMask)
        {
            for (var bit = 0; bit < SchemaNode.RequiredMaskBits && bit < required.Length; bit++)
            {
                if ((seen & (1UL << bit)) == 0)
                {
                    ReportMissing(instance, required[bit]);
                }
            }
        }

        for (var index = SchemaNode.RequiredMaskBits; index < required.Length; index++)
        {
            if (!instance.TryGetProperty(required[index], out _))
            {
                ReportMissing(instance, required[index]);
            }
        }
    }

    private void ReportMissing(DocumentNode instance, string name) =>
        Report(instance, InstancePath.ToPointer(instance, name), SchemaKeyword.Required, $"{InstancePath.ToDisplay(instance)} is missing the required property '{name}'", null);

    /// <summary>Checks a property against every pattern its name matches; true when one did (it is then not additional).</summary>
    private bool CheckPatternProperties(DocumentNode value, string name, (Regex Pattern, SchemaNode Schema)[] patterns)
    {
        var matched = false;
        foreach (var (pattern, patternSchema) in patterns)
        {
            if (MatchesPattern(pattern, name))
            {
                matched = true;
                Check(value, patternSchema);
            }
        }

        return matched;
    }

    private void CheckObjectShape(DocumentNode instance, SchemaNode schema)
    {
        var count = instance.Count;
        if (schema.MinProperties is { } minProperties && count < minProperties)
        {
            Report(instance, SchemaKeyword.MinProperties, $"{InstancePath.ToDisplay(instance)} must have at least {minProperties} propert(ies), not {count}");
        }

        if (schema.MaxProperties is { } maxProperties && count > maxProperties)
        {
            Report(instance, SchemaKeyword.MaxProperties, $"{InstancePath.ToDisplay(instance)} must have at most {maxProperties} propert(ies), not {count}");
        }

        foreach (var dependency in schema.DependentRequired ?? [])
        {
            if (instance.TryGetProperty(dependency.Key, out _))
            {
                foreach (var missing in dependency.Value.Where(other => !instance.TryGetProperty(other, out _)))
                {
                    Report(instance, InstancePath.ToPointer(instance, missing), SchemaKeyword.Dependencies, $"{InstancePath.ToDisplay(instance)} has '{dependency.Key}', so it needs '{missing}' too", null);
                }
            }
        }

        foreach (var dependency in schema.DependentSchemas ?? [])
        {
            if (instance.TryGetProperty(dependency.Key, out _))
            {
                Check(instance, dependency.Value);
            }
        }
    }

    [MethodImpl(HotPath.Options)]
    private void CheckArray(DocumentNode instance, SchemaNode schema)
    {
        var count = instance.Count;
        if (schema.MinItems is { } minItems && count < minItems)
        {
            Report(instance, SchemaKeyword.MinItems, $"{InstancePath.ToDisplay(instance)} must have at least {minItems} item(s), not {count}");
        }

        if (schema.MaxItems is { } maxItems && count > maxItems)
        {
            Report(instance, SchemaKeyword.MaxItems, $"{InstancePath.ToDisplay(instance)} must have at most {maxItems} item(s), not {count}");
        }

        var seen = schema.UniqueItems ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
        var index = 0;
        var contained = schema.Contains is null;
        foreach (var item in instance.EnumerateItems())
        {
            if (schema.TupleItems is { } tuple)
            {
                if (index < tuple.Length)
                {
                    Check(item, tuple[index]);
                }
                else if (schema.AdditionalItemsForbidden)
                {
                    Report(item, SchemaKeyword.AdditionalItems, $"{InstancePath.ToDisplay(instance)} must have at most {tuple.Length} item(s), not {count}: {item.Describe()} is one too many");
                }
                else if (schema.AdditionalItems is not null)
                {
                    Check(item, schema.AdditionalItems);
                }
            }
            else if (schema.Items is not null)
            {
                Check(item, schema.Items);
            }

            contained = contained || IsValid(item, schema.Contains!);

            if (seen is not null)
            {
                var key = CanonicalValue.Of(item);
                if (seen.TryGetValue(key, out var first))
                {
                    // The pointer names the array, as JSON Schema does; the position is the repeat, where the fix goes.
                    Report(item, InstancePath.ToPointer(instance), SchemaKeyword.UniqueItems, $"{InstancePath.ToDisplay(instance)} repeats {item.Describe()}, already at index {first}", null);
                }
                else
                {
                    seen.Add(key, index);
                }
            }

            index++;
        }

        if (!contained)
        {
            Report(instance, SchemaKeyword.Contains, $"{InstancePath.ToDisplay(instance)} has no item of the required form");
        }
    }

    private void CheckString(DocumentNode instance, SchemaNode schema)
    {
        if ((schema.MinLength is not null || schema.MaxLength is not null) && !LengthBoundsSettle(instance, schema))
        {
            var length = instance.GetCodePointCount();
            if (schema.MinLength is { } minLength && length < minLength)
            {
                Report(instance, SchemaKeyword.MinLength, $"{InstancePath.ToDisplay(instance)} must have at least {minLength} character(s), not {length}");
            }

            if (schema.MaxLength is { } maxLength && length > maxLength)
            {
                Report(instance, SchemaKeyword.MaxLength, $"{InstancePath.ToDisplay(instance)} must have at most {maxLength} character(s), not {length}");
            }
        }

        if (schema.Pattern is { } pattern && !MatchesPattern(pattern, instance.GetString()))
        {
            Report(instance, SchemaKeyword.Pattern, $"{InstancePath.ToDisplay(instance)} must match the pattern '{pattern}', not {instance.Describe()}");
        }

        // date-time, the format every fixture uses, is checked on a stack buffer; the others on the decoded string.
        if (schema.Format is { } format && !(format == "date-time" ? IsDateTime(instance) : StringFormats.IsValid(format, instance.GetString())))
        {
            Report(instance, SchemaKeyword.Format, $"{InstancePath.ToDisplay(instance)} must be {StringFormats.Expected(format)}, not {instance.Describe()}");
        }
    }

    /// <summary>Whether the cheap bounds on a string's length already satisfy minLength and maxLength, so it need not be counted.</summary>
    private static bool LengthBoundsSettle(DocumentNode instance, SchemaNode schema)
    {
        var (minimum, maximum) = instance.GetCodePointBounds();
        return (schema.MinLength is not { } minLength || minimum >= minLength) && (schema.MaxLength is not { } maxLength || maximum <= maxLength);
    }

    private void CheckNumber(DocumentNode instance, SchemaNode schema)
    {
        if (schema.Minimum is null && schema.Maximum is null && schema.ExclusiveMinimum is null && schema.ExclusiveMaximum is null && schema.MultipleOf is null)
        {
            return;
        }

        instance.TryGetDouble(out var value);
        var display = instance.GetString();
        if (schema.Minimum is { } minimum && value < minimum)
        {
            Report(instance, SchemaKeyword.Minimum, $"{InstancePath.ToDisplay(instance)} must be at least {Format(minimum)}, not {display}");
        }

        if (schema.Maximum is { } maximum && value > maximum)
        {
            Report(instance, SchemaKeyword.Maximum, $"{InstancePath.ToDisplay(instance)} must be at most {Format(maximum)}, not {display}");
        }

        if (schema.ExclusiveMinimum is { } exclusiveMinimum && value <= exclusiveMinimum)
        {
            Report(instance, SchemaKeyword.ExclusiveMinimum, $"{InstancePath.ToDisplay(instance)} must be greater than {Format(exclusiveMinimum)}, not {display}");
        }

        if (schema.ExclusiveMaximum is { } exclusiveMaximum && value >= exclusiveMaximum)
        {
            Report(instance, SchemaKeyword.ExclusiveMaximum, $"{InstancePath.ToDisplay(instance)} must be less than {Format(exclusiveMaximum)}, not {display}");
        }

        if (schema.MultipleOf is { } multipleOf && !IsMultipleOf(value, multipleOf))
        {
            Report(instance, SchemaKeyword.MultipleOf, $"{InstancePath.ToDisplay(instance)} must be a multiple of {Format(multipleOf)}, not {display}");
        }
    }

    private void CheckCombinators(DocumentNode instance, SchemaNode schema)
    {
        if (schema.AllOf is not null)
        {
            foreach (var part in schema.AllOf)
            {
                Check(instance, part);
            }
        }

        if (schema.AnyOf is not null && CountValid(instance, schema.AnyOf, stopAt: 1) == 0)
        {
            Report(instance, SchemaKeyword.AnyOf, $"{InstancePath.ToDisplay(instance)} matches none of the {schema.AnyOf.Length} allowed forms");
        }

        if (schema.OneOf is not null)
        {
            var matching = CountValid(instance, schema.OneOf, stopAt: int.MaxValue);
            if (matching != 1)
            {
                Report(instance, SchemaKeyword.OneOf, matching == 0
                    ? $"{InstancePath.ToDisplay(instance)} matches none of the {schema.OneOf.Length} allowed forms"
                    : $"{InstancePath.ToDisplay(instance)} matches {matching} of the allowed forms; it must match exactly one");
            }
        }

        if (schema.If is not null)
        {
            var branch = IsValid(instance, schema.If) ? schema.Then : schema.Else;
            if (branch is not null)
            {
                Check(instance, branch);
            }
        }

        if (schema.Not is not null && IsValid(instance, schema.Not))
        {
            Report(instance, SchemaKeyword.Not, $"{InstancePath.ToDisplay(instance)} matches a form that is not allowed");
        }
    }

    /// <summary>Whether an instance equals one of the constants (a loop, not a lambda: see <see cref="CountValid"/>).</summary>
    private static bool MatchesAny(DocumentNode instance, SchemaConstant[] constants)
    {
        foreach (var constant in constants)
        {
            if (constant.Matches(instance))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many of the forms an instance matches, counting no further than <paramref name="stopAt"/> (a loop, not a lambda: this runs for every value a combinator schema checks).</summary>
    private static int CountValid(DocumentNode instance, SchemaNode[] forms, int stopAt)
    {
        var count = 0;
        for (var i = 0; i < forms.Length && count < stopAt; i++)
        {
            if (IsValid(instance, forms[i]))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsDateTime(DocumentNode instance)
    {
        Span<char> buffer = stackalloc char[48];
        return DateTimeFormat.IsValid(instance.GetChars(buffer));
    }

    private static bool MatchesType(DocumentNode instance, SchemaTypes types) => instance.Kind switch
    {
        DocumentValueKind.Mapping => (types & SchemaTypes.Object) != 0,
        DocumentValueKind.Sequence => (types & SchemaTypes.Array) != 0,
        DocumentValueKind.String => (types & SchemaTypes.String) != 0,
        DocumentValueKind.Boolean => (types & SchemaTypes.Boolean) != 0,
        DocumentValueKind.Null => (types & SchemaTypes.Null) != 0,
        DocumentValueKind.Integer => (types & (SchemaTypes.Integer | SchemaTypes.Number)) != 0,

        // .inf and .nan are YAML floats, but no JSON number: the store, exports and packages could not hold them.
        _ => instance.IsJsonNumber() && ((types & SchemaTypes.Number) != 0 || ((types & SchemaTypes.Integer) != 0 && IsIntegral(instance))),
    };

    /// <summary>
    /// Whether a number is a multiple of another: exactly in decimal when both fit (0.3 is a multiple of 0.1), else in
    /// binary floating point, whose remainder is exact (1e308 is a multiple of 0.5, not of 0.123456789).
    /// </summary>
    private static bool IsMultipleOf(double value, double divisor)
    {
        if (Math.Abs(value) < 7.9e27 && Math.Abs(divisor) < 7.9e27 && Math.Abs(divisor) > 1e-27)
        {
            var remainder = (decimal)value % (decimal)divisor;
            return remainder == 0m;
        }

        return !double.IsInfinity(value) && value % divisor == 0;
    }

    private static bool IsIntegral(DocumentNode instance) =>
        instance.TryGetDouble(out var value) && !double.IsInfinity(value) && Math.Floor(value) == value;

    private static bool MatchesPattern(Regex pattern, string value)
    {
        try
        {
            return pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string DescribeTypes(SchemaTypes types)
    {
        var names = new List<string>();
        foreach (var (flag, name) in TypeNames)
        {
            if ((types & flag) != 0)
            {
                names.Add(name);
            }
        }

        return string.Join(" or ", names);
    }

    private static readonly (SchemaTypes Flag, string Name)[] TypeNames =
    [
        (SchemaTypes.Object, "a mapping"), (SchemaTypes.Array, "a sequence"), (SchemaTypes.String, "a string"),
        (SchemaTypes.Integer, "an integer"), (SchemaTypes.Number, "a number"), (SchemaTypes.Boolean, "a boolean"), (SchemaTypes.Null, "null"),
    ];

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Cardinal(int count) => count.ToString(CultureInfo.InvariantCulture);

    private void Report(DocumentNode instance, SchemaKeyword keyword, string message, string? code = null)
    {
        if (_violations.Count < MaximumViolations)
        {
            Report(instance, InstancePath.ToPointer(instance), keyword, message, code);
        }
        else
        {
            _unlisted++; // no pointer for what is not listed: finding one walks the document
        }
    }

    private void Report(DocumentNode instance, string pointer, SchemaKeyword keyword, string message, string? code)
    {
        if (_violations.Count < MaximumViolations)
        {
            _violations.Add(new SchemaViolation(instance, pointer, keyword, message, code));
        }
        else
        {
            _unlisted++;
        }
    }
}
