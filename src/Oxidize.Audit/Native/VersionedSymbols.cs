using System.Buffers.Binary;
using System.Text;

namespace Oxidize.Audit.Native;

/// <summary>
/// Which undefined dynamic symbols bind to which required version ("pthread_create" needs GLIBC_2.34
/// from libc.so.6), read from the section headers: .dynsym, its string table, .gnu.version and
/// .gnu.version_r. Oxidize.Packing's ElfFile gives the required versions but not the symbols, which
/// only serve to make a message concrete; so a file without section headers (sstrip) or with damaged
/// ones simply yields no names, never an error. Every read is bounds-checked and every loop is
/// bounded by the file's size.
/// </summary>
public static class VersionedSymbols
{
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int MaxNamesPerVersion = 1000;

    /// <summary>Symbol names per (library file, version name), in .dynsym order; empty when the sections are missing or unreadable.</summary>
    public static IReadOnlyDictionary<(string File, string Version), IReadOnlyList<string>> Read(ReadOnlySpan<byte> elf)
    {
        try
        {
            return ReadSections(elf);
        }
        catch (InvalidDataException)
        {
            return new Dictionary<(string, string), IReadOnlyList<string>>();
        }
    }

    private readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link, uint Info);

    private static Dictionary<(string, string), IReadOnlyList<string>> ReadSections(ReadOnlySpan<byte> elf)
    {
        var result = new Dictionary<(string, string), IReadOnlyList<string>>();
        if (elf.Length < 64 || elf[4] != 2 || elf[5] != 1)
            return result;
        ulong sectionOffset = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        if (sectionOffset == 0 || sectionCount == 0 || BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]) != SectionHeaderSize)
            return result;

        var sections = new Section[sectionCount];
        var table = Slice(elf, sectionOffset, (ulong)sectionCount * SectionHeaderSize);
        for (int index = 0; index < sectionCount; index++)
        {
            var header = table.Slice(index * SectionHeaderSize, SectionHeaderSize);
            sections[index] = new Section(
                BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[44..]));
        }

        int dynsym = Array.FindIndex(sections, section => section.Type == ShtDynsym);
        int versym = Array.FindIndex(sections, section => section.Type == ShtGnuVersym);
        int verneed = Array.FindIndex(sections, section => section.Type == ShtGnuVerneed);
        if (dynsym < 0 || versym < 0 || verneed < 0)
            return result;

        var versions = ReadRequirements(elf, sections[verneed], StringTable(elf, sections, sections[verneed].Link));
        var symbolStrings = StringTable(elf, sections, sections[dynsym].Link);
        var symbols = Slice(elf, sections[dynsym].Offset, sections[dynsym].Size);
        var versionIndices = Slice(elf, sections[versym].Offset, sections[versym].Size);
        int symbolCount = Math.Min(symbols.Length / SymbolSize, versionIndices.Length / 2);

        var names = new Dictionary<(string, string), List<string>>();
        for (int index = 1; index < symbolCount; index++)
        {
            var symbol = symbols.Slice(index * SymbolSize, SymbolSize);
            bool undefined = BinaryPrimitives.ReadUInt16LittleEndian(symbol[6..]) == 0;
            int version = BinaryPrimitives.ReadUInt16LittleEndian(versionIndices[(index * 2)..]) & 0x7FFF;
            if (!undefined || !versions.TryGetValue(version, out var key))
                continue;
            if (!names.TryGetValue(key, out var list))
                names[key] = list = [];
            if (list.Count < MaxNamesPerVersion)
                list.Add(ReadString(symbolStrings, BinaryPrimitives.ReadUInt32LittleEndian(symbol)));
        }
        foreach (var (key, list) in names)
            result[key] = list;
        return result;
    }

    /// <summary>Version index (vna_other) → (vn_file, vna_name) for every Vernaux of .gnu.version_r.</summary>
    private static Dictionary<int, (string, string)> ReadRequirements(ReadOnlySpan<byte> elf, Section section, ReadOnlySpan<byte> strings)
    {
        var versions = new Dictionary<int, (string, string)>();
        var data = Slice(elf, section.Offset, section.Size);
        ulong entry = 0;
        // sh_info is the entry count; each entry is at least 16 bytes, so the section's size bounds it too.
        ulong count = Math.Min(section.Info, section.Size / 16);
        for (ulong index = 0; index < count; index++)
        {
            var need = Slice(data, entry, 16);
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(need[2..]);
            string file = ReadString(strings, BinaryPrimitives.ReadUInt32LittleEndian(need[4..]));
            ulong aux = entry + BinaryPrimitives.ReadUInt32LittleEndian(need[8..]);
            for (int auxIndex = 0; auxIndex < auxCount && auxIndex < data.Length / 16; auxIndex++)
            {
                var vernaux = Slice(data, aux, 16);
                int other = BinaryPrimitives.ReadUInt16LittleEndian(vernaux[6..]) & 0x7FFF;
                versions[other] = (file, ReadString(strings, BinaryPrimitives.ReadUInt32LittleEndian(vernaux[8..])));
                uint nextAux = BinaryPrimitives.ReadUInt32LittleEndian(vernaux[12..]);
                if (nextAux == 0)
                    break;
                aux += nextAux;
            }
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(need[12..]);
            if (next == 0)
                break;
            entry += next;
        }
        return versions;
    }

    private static ReadOnlySpan<byte> StringTable(ReadOnlySpan<byte> elf, Section[] sections, uint index) =>
        index < sections.Length ? Slice(elf, sections[index].Offset, sections[index].Size) : throw new InvalidDataException("section link out of range");

    private static string ReadString(ReadOnlySpan<byte> table, uint offset)
    {
        if (offset >= table.Length)
            throw new InvalidDataException("string offset out of range");
        var rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException("unterminated string");
        return Encoding.UTF8.GetString(rest[..end]);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, ulong offset, ulong length) =>
        offset <= (ulong)data.Length && length <= (ulong)data.Length - offset
            ? data.Slice((int)offset, (int)length)
            : throw new InvalidDataException("range outside the file");
}
