using MemoryContracts.IO;
using Xunit;

namespace MemoryContracts.Tests;

/// <summary><see cref="FileBytes"/> reads what <see cref="File.ReadAllBytes"/> reads and fails as it fails, large files in two halves.</summary>
public sealed class FileBytesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mc-filebytes-").FullName;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FileBytes.SplitThreshold - 1)]
    [InlineData(FileBytes.SplitThreshold)]
    [InlineData(FileBytes.SplitThreshold + 7)]
    public async Task Reads_every_byte_at_every_size(int length)
    {
        var expected = new byte[length];
        new Random(length).NextBytes(expected);
        var path = Path.Combine(_folder, $"f{length}.bin");
        File.WriteAllBytes(path, expected);

        var read = FileBytes.ReadAll(path);
        var readAsync = await FileBytes.ReadAllAsync(path, CancellationToken.None);
        Assert.True(expected.AsSpan().SequenceEqual(read));
        Assert.True(expected.AsSpan().SequenceEqual(readAsync));
    }

    [Fact]
    public async Task Fails_as_File_ReadAllBytes_fails()
    {
        var missing = Path.Combine(_folder, "missing.json");
        Assert.Equal(Record.Exception(() => File.ReadAllBytes(missing))!.GetType(), Record.Exception(() => FileBytes.ReadAll(missing))!.GetType());
        Assert.Equal(Record.Exception(() => File.ReadAllBytes(_folder))!.GetType(), Record.Exception(() => FileBytes.ReadAll(_folder))!.GetType());
        Assert.IsType<FileNotFoundException>(await Record.ExceptionAsync(() => FileBytes.ReadAllAsync(missing, CancellationToken.None).AsTask()));
    }

    [Fact]
    public async Task Honours_cancellation_for_a_large_file()
    {
        var path = Path.Combine(_folder, "large.bin");
        File.WriteAllBytes(path, new byte[FileBytes.SplitThreshold]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileBytes.ReadAllAsync(path, new CancellationToken(canceled: true)).AsTask());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
