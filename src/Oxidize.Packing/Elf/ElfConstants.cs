namespace Oxidize.Packing.Elf;

/// <summary>The numbers from the System V gABI and the GNU symbol-versioning extension this reader uses.</summary>
internal static class ElfConstants
{
    public const int IdentClass = 4;
    public const int IdentData = 5;
    public const int IdentVersion = 6;
    public const byte ClassElf32 = 1;
    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const byte DataBigEndian = 2;
    public const byte CurrentVersion = 1;

    public const int HeaderSize64 = 64;
    public const int ProgramHeaderSize64 = 56;
    public const int DynamicEntrySize64 = 16;
    public const ushort ProgramHeaderCountExtended = 0xFFFF; // PN_XNUM

    public const uint PtLoad = 1;
    public const uint PtDynamic = 2;
    public const uint PtInterp = 3;

    public const long DtNull = 0;
    public const long DtNeeded = 1;
    public const long DtStrtab = 5;
    public const long DtStrsz = 10;
    public const long DtSoname = 14;
    public const long DtRpath = 15;
    public const long DtRunpath = 29;
    public const long DtFlags1 = 0x6ffffffb;
    public const long DtVerdef = 0x6ffffffc;
    public const long DtVerdefnum = 0x6ffffffd;
    public const long DtVerneed = 0x6ffffffe;
    public const long DtVerneednum = 0x6fffffff;

    public const ulong Df1Pie = 0x08000000;

    public const int VerneedSize = 16;
    public const int VernauxSize = 16;
    public const int VerdefSize = 20;
    public const int VerdauxSize = 8;
    public const ushort VerFlagBase = 0x1;
    public const ushort VerFlagWeak = 0x2;

    /// <summary>Version indices are 15 bits (the top bit of a versym is "hidden"), so no file can have more versions than this.</summary>
    public const int MaxVersions = 0x7FFF;
}
