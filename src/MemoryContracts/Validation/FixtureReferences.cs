using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.IO;

namespace MemoryContracts.Validation;

/// <summary>Follows a path that one fixture gives to another, validating the target once.</summary>
internal static class FixtureReferences
{
    /// <summary>
    /// Validates the file named by <paramref name="reference"/> and returns its result when it is a valid fixture of
    /// <paramref name="family"/>. Otherwise reports why at the reference: MC4007 (absolute), MC4010 (outside the
    /// root), MC4001 (missing), MC4004 (another contract) or MC4005 (the file has errors, reported on the file
    /// itself; a file that is no contract at all gets one diagnostic that shows none of its content).
    /// </summary>
    public static FixtureResult? Resolve(FixtureContext context, DocumentNode reference, string family, string noun)
    {
        if (!reference.IsString)
        {
            return null;
        }

        var displayPath = Locate(context, reference, noun);
        if (displayPath is null)
        {
            return null;
        }

        var text = reference.GetString();
        var target = context.Validator.Validate(displayPath);
        if (target.Contract is null)
        {
            // Not a contract file: its content is nobody's business here, so none of it reaches a diagnostic.
            target.Withhold();
            context.Report(DiagnosticCatalog.ReferencedFileInvalid, reference, noun, text, Math.Max(1, target.ErrorCount));
            return null;
        }

        if (target.Contract is { } contract && contract.Family != family)
        {
            context.Report(DiagnosticCatalog.ReferencedFileWrongContract, reference, noun, text, contract.SchemaVersion);
            return null;
        }

        if (target.HasErrors || target.Contract is null)
        {
            context.Report(DiagnosticCatalog.ReferencedFileInvalid, reference, noun, text, Math.Max(1, target.ErrorCount));
            return null;
        }

        return target;
    }

    /// <summary>
    /// Finds the file a string reference names, relative to the referring fixture, and records it as a reference.
    /// Returns its display path, or null after reporting MC4007 (absolute), MC4010 (outside the root, after links
    /// are resolved; the file is not read) or MC4001 (missing).
    /// </summary>
    public static string? Locate(FixtureContext context, DocumentNode reference, string noun)
    {
        var text = reference.GetString();
        if (FixturePaths.IsAbsolute(text))
        {
            context.Report(DiagnosticCatalog.AbsoluteReference, reference, text);
            return null;
        }

        var displayPath = FixturePaths.Resolve(context.Fixture.Path, text);
        var fullPath = FixturePaths.FullPath(context.Fixture.FullPath, text);
        if (context.Validator.Options.Root is { } root && RootedPath.Escape(root, fullPath) is { } outside)
        {
            context.Report(DiagnosticCatalog.ReferenceOutsideRoot, reference, noun, text, outside, Path.GetFullPath(root));
            return null;
        }

        context.Fixture.AddReference(fullPath);
        if (!File.Exists(fullPath))
        {
            context.Report(DiagnosticCatalog.ReferencedFileNotFound, reference, noun, text, displayPath);
            return null;
        }

        return displayPath;
    }
}
