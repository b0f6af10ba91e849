using static Oxidize.Packing.Elf.ElfConstants;

namespace Oxidize.Packing.Elf;

/// <summary>
/// The PT_DYNAMIC array, read up to DT_NULL: the strings it names (DT_NEEDED, DT_SONAME,
/// DT_RUNPATH, DT_RPATH) through DT_STRTAB/DT_STRSZ, and the version tables it points at.
/// As in glibc's loader, a tag that appears twice takes its last value (DT_NEEDED accumulates).
/// </summary>
internal static class DynamicSegment
{
    public sealed record Contents(
        string? Soname,
        IReadOnlyList<string> Needed,
        string? Runpath,
        string? Rpath,
        ulong Flags1,
        IReadOnlyList<VersionRequirement> VersionRequirements,
        IReadOnlyList<string> DefinedVersions);

    public static Contents Empty { get; } = new(null, [], null, null, 0, [], []);

    public static Contents Read(ElfImage image, ulong offset, ulong size)
    {
        var needed = new List<ulong>();
        ulong? strtab = null, strsz = null, soname = null, runpath = null, rpath = null;
        ulong? verneed = null, verneedCount = null, verdef = null, verdefCount = null;
        ulong flags1 = 0;

        ulong count = size / DynamicEntrySize64;
        bool terminated = false;
        for (ulong index = 0; index < count && !terminated; index++)
        {
            ulong entry = offset + index * DynamicEntrySize64;
            long tag = (long)image.ReadUInt64(entry, "a dynamic entry's d_tag");
            ulong value = image.ReadUInt64(entry + 8, "a dynamic entry's d_val");
            switch (tag)
            {
                case DtNull: terminated = true; break;
                case DtNeeded: needed.Add(value); break;
                case DtStrtab: strtab = value; break;
                case DtStrsz: strsz = value; break;
                case DtSoname: soname = value; break;
                case DtRunpath: runpath = value; break;
                case DtRpath: rpath = value; break;
                case DtFlags1: flags1 = value; break;
                case DtVerneed: verneed = value; break;
                case DtVerneednum: verneedCount = value; break;
                case DtVerdef: verdef = value; break;
                case DtVerdefnum: verdefCount = value; break;
            }
        }
        if (!terminated)
            throw ElfImage.Malformed($"the PT_DYNAMIC segment's {count} entries have no DT_NULL terminator.");

        bool usesStrings = needed.Count > 0 || soname is not null || runpath is not null || rpath is not null || verneed is not null || verdef is not null;
        if (!usesStrings)
            return Empty with { Flags1 = flags1 };
        if (strtab is not { } strtabAddress)
            throw ElfImage.Malformed("the dynamic segment names strings but has no DT_STRTAB.");
        var strings = strsz is { } length
            ? new StringTable(image.MapAddress(strtabAddress, length, "the dynamic string table (DT_STRTAB, DT_STRSZ)"), length)
            : new StringTable(image.MapAddress(strtabAddress, 0, "the dynamic string table (DT_STRTAB)"), image.BytesMappedFrom(strtabAddress, "the dynamic string table"));

        var neededNames = new List<string>(needed.Count);
        foreach (ulong name in needed)
            neededNames.Add(strings.Read(image, name, "a DT_NEEDED name"));
        return new Contents(
            Soname: soname is { } s ? strings.Read(image, s, "the DT_SONAME name") : null,
            Needed: neededNames,
            Runpath: runpath is { } r ? strings.Read(image, r, "the DT_RUNPATH value") : null,
            Rpath: rpath is { } p ? strings.Read(image, p, "the DT_RPATH value") : null,
            Flags1: flags1,
            VersionRequirements: verneed is { } need
                ? VersionTables.ReadRequirements(image, strings, need, verneedCount ?? throw ElfImage.Malformed("DT_VERNEED without DT_VERNEEDNUM."))
                : [],
            DefinedVersions: verdef is { } def
                ? VersionTables.ReadDefinitions(image, strings, def, verdefCount ?? throw ElfImage.Malformed("DT_VERDEF without DT_VERDEFNUM."))
                : []);
    }
}
