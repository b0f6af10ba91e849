using System.Buffers.Binary;

namespace Oxidize.Packing.Elf;

/// <summary>
/// Decides whether the host's own ELF loader (src/Oxidize.Host/elf_loader.c) can load a native library by mapping its
/// segments straight from the executable, instead of copying it into a memfd for glibc's dlopen. The loader handles
/// what the .NET runtime's libraries and ordinary C/C++ libraries use, and nothing more: an x86-64 shared library
/// with RELA relocations of the types RELATIVE, 64, GLOB_DAT, JUMP_SLOT, and DTPMOD64/DTPOFF64 against its own
/// thread-local variables (the general- and local-dynamic TLS models); no IFUNC, no initial-exec TLS (TPOFF64 or
/// DF_STATIC_TLS), no text relocations, no REL or RELR tables, no copy relocations. Anything else is loaded as before.
/// </summary>
public static class MappedLibraryCheck
{
    private const int PageSize = 4096;

    /// <summary>Null when the library can be mapped; otherwise why not, in words for the build log.</summary>
    public static string? WhyNotMappable(ReadOnlySpan<byte> elf)
    {
        try
        {
            return Check(elf);
        }
        catch (ArgumentOutOfRangeException)
        {
            return "its ELF headers point outside the file";
        }
        catch (OverflowException)
        {
            return "its ELF headers point outside the file";
        }
        catch (InvalidDataException)
        {
            // ElfImage's bounds checks: a read or an address outside the file or its PT_LOAD segments.
            return "its ELF headers point outside the file";
        }
    }

    private static string? Check(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8))
            return "it is not an ELF file";
        if (elf[4] != 2 || elf[5] != 1)
            return "it is not a 64-bit little-endian ELF file";
        var file = new ElfImage(elf, []);
        if (file.ReadUInt16(16, "e_type") != 3)
            return "it is not a shared library (ET_DYN)";
        if (file.ReadUInt16(18, "e_machine") != 62)
            return "the host's loader handles x86-64 libraries only";
        ulong phoff = file.ReadUInt64(32, "e_phoff");
        int phentsize = file.ReadUInt16(54, "e_phentsize"), phnum = file.ReadUInt16(56, "e_phnum");
        if (phentsize != 56 || phnum == 0xFFFF)
            return "its program headers are not in the usual form";

        var loads = new List<LoadSegment>();
        ulong? dynamicOffset = null, dynamicSize = null;
        bool hasTls = false;
        for (int i = 0; i < phnum; i++)
        {
            var header = file.Slice(checked(phoff + (ulong)(i * 56)), 56, "a program header");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(header);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
            ulong fileSize = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            ulong memorySize = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
            if (type == 1) // PT_LOAD
            {
                if (offset % PageSize != address % PageSize)
                    return "a loadable segment's file offset and address differ modulo the page size";
                if (fileSize > memorySize || offset > (ulong)elf.Length || fileSize > (ulong)elf.Length - offset)
                    return "a loadable segment lies outside the file";
                loads.Add(new LoadSegment(offset, address, fileSize));
            }
            else if (type == 2) // PT_DYNAMIC
            {
                dynamicOffset = offset;
                dynamicSize = fileSize;
            }
            else if (type == 7 && memorySize > 0) // PT_TLS
                hasTls = true;
        }
        if (loads.Count == 0 || loads[0].Offset != 0 || phoff + (ulong)(phnum * 56) > loads[0].FileSize)
            return "its first loadable segment does not hold its program headers";
        if (dynamicOffset is not { } dynOffset || dynamicSize is not { } dynSize)
            return "it has no dynamic segment";

        ulong? rela = null, relaSize = null, jmprel = null, pltSize = null, symtab = null, relaEnt = null;
        long pltRel = 7;
        for (ulong entry = dynOffset; entry + 16 <= dynOffset + dynSize; entry += 16)
        {
            long tag = (long)file.ReadUInt64(entry, "a dynamic entry's tag");
            ulong value = file.ReadUInt64(entry + 8, "a dynamic entry's value");
            if (tag == 0)
                break;
            switch (tag)
            {
                case 7: rela = value; break;            // DT_RELA
                case 8: relaSize = value; break;        // DT_RELASZ
                case 9: relaEnt = value; break;         // DT_RELAENT
                case 23: jmprel = value; break;         // DT_JMPREL
                case 2: pltSize = value; break;         // DT_PLTRELSZ
                case 20: pltRel = (long)value; break;   // DT_PLTREL
                case 6: symtab = value; break;          // DT_SYMTAB
                case 17: case 35: case 36: return "it has REL or RELR relocations"; // DT_REL, DT_RELRSZ, DT_RELR
                case 22: return "it has text relocations (DT_TEXTREL)";
                case 30:                                // DT_FLAGS
                    if ((value & 0x4) != 0)
                        return "it has text relocations (DF_TEXTREL)";
                    if ((value & 0x10) != 0)
                        return "it uses the initial-exec TLS model (DF_STATIC_TLS)";
                    break;
                case 0x7ffffffd: case 0x7fffffff: return "it is a filter library (DT_AUXILIARY/DT_FILTER)";
            }
        }
        if (symtab is not { } symbols)
            return "it has no dynamic symbol table";
        if (relaEnt is { } size && size != 24)
            return "its relocation entries are not 24 bytes";
        if (jmprel is not null && pltRel != 7)
            return "its PLT relocations are not RELA";

        var image = new ElfImage(elf, [.. loads]);
        ulong symbolTable = image.MapAddress(symbols, 0, "the dynamic symbol table");
        foreach (var (start, length) in new[] { (rela, relaSize), (jmprel, pltSize) })
        {
            if (start is not { } tableAddress || length is not { } tableSize || tableSize == 0)
                continue;
            ulong table = image.MapAddress(tableAddress, 0, "a relocation table");
            for (ulong offset = 0; offset + 24 <= tableSize; offset += 24)
            {
                ulong info = image.ReadUInt64(table + offset + 8, "a relocation's r_info");
                uint type = (uint)info;
                uint symbol = (uint)(info >> 32);
                byte symbolInfo = symbol == 0 ? (byte)0 : image.Slice(checked(symbolTable + symbol * 24UL + 4), 1, "a symbol's st_info")[0];
                ushort section = symbol == 0 ? (ushort)1 : image.ReadUInt16(checked(symbolTable + symbol * 24UL + 6), "a symbol's st_shndx");
                switch (type)
                {
                    case 0: case 8: break; // NONE, RELATIVE
                    case 1: case 6: case 7: // 64, GLOB_DAT, JUMP_SLOT
                        if ((symbolInfo & 0xf) == 10 && section != 0)
                            return "it defines an IFUNC symbol (STT_GNU_IFUNC)";
                        break;
                    case 16: case 17: // DTPMOD64, DTPOFF64
                        if (section == 0)
                            return "it uses another library's thread-local variable";
                        if (!hasTls)
                            return "it has a TLS relocation but no TLS segment";
                        break;
                    case 18: return "it uses the initial-exec TLS model (R_X86_64_TPOFF64)";
                    case 37: return "it has IFUNC relocations (R_X86_64_IRELATIVE)";
                    case 36: return "it uses TLS descriptors (R_X86_64_TLSDESC)";
                    case 5: return "it has copy relocations (R_X86_64_COPY)";
                    default: return $"it has relocations of type {type}, which the host's loader does not apply";
                }
            }
        }
        return null;
    }
}
