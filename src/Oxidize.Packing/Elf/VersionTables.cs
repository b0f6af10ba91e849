using static Oxidize.Packing.Elf.ElfConstants;

namespace Oxidize.Packing.Elf;

/// <summary>
/// The GNU symbol-versioning tables the dynamic segment points at: .gnu.version_r (Verneed and
/// its Vernaux entries) and .gnu.version_d (Verdef and its Verdaux entries). Each chain is
/// walked for exactly the count its header gives, every link is an unsigned forward offset
/// (so a chain can only move forward through the file; a link that a signed reader would take
/// as "backwards" lands outside the file and is rejected), and the total is capped at the
/// 15-bit version-index limit: no input can make these loops run long or forever.
/// </summary>
internal static class VersionTables
{
    public static IReadOnlyList<VersionRequirement> ReadRequirements(ElfImage image, StringTable strings, ulong address, ulong count)
    {
        if (count > MaxVersions)
            throw ElfImage.Malformed($"DT_VERNEEDNUM is {count}; at most {MaxVersions} versions are possible.");
        var requirements = new List<VersionRequirement>();
        ulong entry = address;
        for (ulong index = 0; index < count; index++)
        {
            string what = $"version need entry {index}";
            ulong offset = image.MapAddress(entry, VerneedSize, what);
            ushort version = image.ReadUInt16(offset, what);
            if (version != 1)
                throw ElfImage.Malformed($"{what} has vn_version {version}; only version 1 exists.");
            ushort auxCount = image.ReadUInt16(offset + 2, what);
            string file = strings.Read(image, image.ReadUInt32(offset + 4, what), $"{what}'s vn_file");
            uint auxLink = image.ReadUInt32(offset + 8, what);
            uint nextLink = image.ReadUInt32(offset + 12, what);

            ulong aux = Advance(entry, auxLink, what);
            for (int auxIndex = 0; auxIndex < auxCount; auxIndex++)
            {
                string auxWhat = $"{what}'s vernaux {auxIndex}";
                if (requirements.Count >= MaxVersions)
                    throw ElfImage.Malformed($"more than {MaxVersions} version requirements.");
                ulong auxOffset = image.MapAddress(aux, VernauxSize, auxWhat);
                ushort flags = image.ReadUInt16(auxOffset + 4, auxWhat);
                string name = strings.Read(image, image.ReadUInt32(auxOffset + 8, auxWhat), $"{auxWhat}'s vna_name");
                requirements.Add(new VersionRequirement(file, name, (flags & VerFlagWeak) != 0));
                if (auxIndex + 1 < auxCount)
                    aux = Follow(aux, image.ReadUInt32(auxOffset + 12, auxWhat), auxWhat, $"vn_cnt says {auxCount}");
            }
            if (index + 1 < count)
                entry = Follow(entry, nextLink, what, $"DT_VERNEEDNUM says {count}");
        }
        return requirements;
    }

    public static IReadOnlyList<string> ReadDefinitions(ElfImage image, StringTable strings, ulong address, ulong count)
    {
        if (count > MaxVersions)
            throw ElfImage.Malformed($"DT_VERDEFNUM is {count}; at most {MaxVersions} versions are possible.");
        var definitions = new List<string>();
        ulong entry = address;
        for (ulong index = 0; index < count; index++)
        {
            string what = $"version definition entry {index}";
            ulong offset = image.MapAddress(entry, VerdefSize, what);
            ushort version = image.ReadUInt16(offset, what);
            if (version != 1)
                throw ElfImage.Malformed($"{what} has vd_version {version}; only version 1 exists.");
            ushort flags = image.ReadUInt16(offset + 2, what);
            ushort auxCount = image.ReadUInt16(offset + 6, what);
            uint auxLink = image.ReadUInt32(offset + 12, what);
            uint nextLink = image.ReadUInt32(offset + 16, what);
            // The first Verdaux names the version; any others name its parents, which are defined entries of their own.
            if (auxCount > 0 && (flags & VerFlagBase) == 0)
            {
                ulong auxOffset = image.MapAddress(Advance(entry, auxLink, what), VerdauxSize, $"{what}'s verdaux");
                definitions.Add(strings.Read(image, image.ReadUInt32(auxOffset, what), $"{what}'s vda_name"));
            }
            if (index + 1 < count)
                entry = Follow(entry, nextLink, what, $"DT_VERDEFNUM says {count}");
        }
        return definitions;
    }

    private static ulong Follow(ulong address, uint link, string what, string expectation)
    {
        if (link == 0)
            throw ElfImage.Malformed($"the chain ends at {what} although {expectation}.");
        return Advance(address, link, what);
    }

    private static ulong Advance(ulong address, uint link, string what) =>
        link <= ulong.MaxValue - address ? address + link : throw ElfImage.Malformed($"{what}'s link 0x{link:x} overflows the address space.");
}
