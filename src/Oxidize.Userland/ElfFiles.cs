using Oxidize.Packing;
using Oxidize.Packing.Elf;

namespace Oxidize.Userland;

/// <summary>Reading the build machine's ELF files: required ones fail with OXSDK4002, probed ones are skipped.</summary>
internal static class ElfFiles
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>The file, which must be an x86-64 ELF file; <paramref name="what"/> names it in the error.</summary>
    public static ElfInfo Read(string path, string what)
    {
        ElfInfo elf;
        try
        {
            elf = ElfFile.Read(File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new PackingException(UserlandErrorCodes.NotOnThisMachine, $"{what} ({path}) cannot be read as an ELF file: {exception.Message}");
        }
        if (elf.Machine != ElfMachine.X86_64)
            throw new PackingException(UserlandErrorCodes.NotOnThisMachine, $"{what} ({path}) is not an x86-64 ELF file.");
        return elf;
    }

    /// <summary>The file's ELF headers, or null when it is not an ELF file or cannot be read.</summary>
    public static ElfInfo? TryRead(string path)
    {
        try
        {
            using (FileStream stream = File.OpenRead(path))
            {
                Span<byte> magic = stackalloc byte[4];
                if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual(ElfMagic))
                    return null;
            }
            return ElfFile.Read(File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The path with every link resolved: what is carried is the file, under the name the caller chooses.</summary>
    public static string RealPath(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
}
