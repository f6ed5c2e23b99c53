namespace MemoryContracts.Testing;

/// <summary>Copies of repository folders (such as examples/) for tests that run commands in them.</summary>
public static class FolderCopy
{
    /// <summary>Copies every file under <paramref name="from"/> to <paramref name="to"/>, leaving out build output (bin/, obj/).</summary>
    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
