using System.Text.Json.Serialization;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Tool.Reporting;

/// <summary>The command line's own snake_case JSON answers (errors, drift, a deactivation), source-generated like the runtime's.</summary>
internal static class CliJson
{
    /// <summary>The metadata for indented JSON, in the runtime's snake_case format.</summary>
    public static CliJsonContext Indented { get; } = new(SnakeCaseJson.NewOptions(indented: true));

    /// <summary>A toolbelt call's refusal: <c>{"error": [{"code", "message"}, ...]}</c>.</summary>
    public static string Errors(IEnumerable<CodedMessage> errors) => SnakeCaseJson.Write(new ErrorAnswer([.. errors]), Indented.ErrorAnswer);
}

/// <summary>A diagnostic reduced to what an agent acts on.</summary>
/// <param name="Code">The MC code.</param>
/// <param name="Message">The message.</param>
internal sealed record CodedMessage(string Code, string Message);

/// <summary>What a refused toolbelt call prints.</summary>
/// <param name="Error">Every reason.</param>
internal sealed record ErrorAnswer(IReadOnlyList<CodedMessage> Error);

/// <summary>A file whose content differs from its last committed event (<c>md drift</c>).</summary>
/// <param name="Code">The MC code (MC5021).</param>
/// <param name="File">The file.</param>
/// <param name="Message">The message.</param>
internal sealed record DriftFinding(string Code, string File, string Message);

/// <summary>What <c>context deactivate --format json</c> prints.</summary>
/// <param name="Package">The package id.</param>
/// <param name="State">Always <c>inactive</c>.</param>
internal sealed record Deactivation(string Package, string State);

/// <summary>The command line's answer types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(DriftFinding[]))]
[JsonSerializable(typeof(Deactivation))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
