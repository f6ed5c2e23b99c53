using MemoryContracts.Diagnostics;
using MemoryContracts.Schemas;
using MemoryContracts.Validation;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MemoryContracts.Build;

/// <summary>What the tasks share: diagnostics as canonical MSBuild errors and warnings, and the validation options a project's schemas and root give.</summary>
internal static class BuildLog
{
    /// <summary>Logs a diagnostic with code, file, line, column, end position and (on .NET) help link.</summary>
    public static void Report(TaskLoggingHelper log, ContractDiagnostic diagnostic)
    {
        // A whole-file problem is placed at the start of its file, as the command line prints it, so every line has a position.
        var location = diagnostic.Location.HasPosition || diagnostic.Location.NamesNoFile ? diagnostic.Location : diagnostic.Location with { Line = 1, Column = 1 };
        if (diagnostic.IsError)
        {
#if NET8_0_OR_GREATER
            log.LogError(null, diagnostic.Code, null, diagnostic.Descriptor.HelpLink, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#else
            log.LogError(null, diagnostic.Code, null, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#endif
        }
        else
        {
#if NET8_0_OR_GREATER
            log.LogWarning(null, diagnostic.Code, null, diagnostic.Descriptor.HelpLink, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#else
            log.LogWarning(null, diagnostic.Code, null, location.Path, location.Line, location.Column, location.EndLine, location.EndColumn, "{0}", diagnostic.Message);
#endif
        }
    }

    /// <summary>
    /// The options for validating with the project's extra schemas and root; null (after logging why) when a schema
    /// has problems that leave no usable catalog. A schema with problems fails the build, but only the fixtures of
    /// its own contracts go unvalidated.
    /// </summary>
    public static ValidationOptions? CreateOptions(TaskLoggingHelper log, ITaskItem[] schemas, string? root)
    {
        var rootFolder = string.IsNullOrEmpty(root) ? null : root;
        if (schemas.Length == 0)
        {
            return ValidationOptions.Default with { Root = rootFolder };
        }

        var loaded = SchemaCatalog.Load(schemas.Select(item => item.ItemSpec));
        foreach (var diagnostic in loaded.Diagnostics)
        {
            Report(log, diagnostic);
        }

        return loaded.Catalog is null ? null : new ValidationOptions { Catalog = loaded.Catalog, Root = rootFolder };
    }
}
