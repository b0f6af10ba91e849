namespace Oxidize.Packing;

/// <summary>
/// The packed-resources format, version 1: the C# half of the one constants table shared with the
/// host (src/Oxidize.Host/oxidize_format.h). Names are the C names in PascalCase without the OXPAK_
/// prefix; FormatConstantsAgreeTests fails when the two halves differ. Layout: docs/format.md.
/// </summary>
#if OXIDIZE_FORMAT_INTERNAL
internal
#else
public
#endif
static class FormatConstants
{
    public const ulong TrailerMagic = 0x444E454B4453584FUL; // the bytes "OXSDKEND"
    public const int TrailerSize = 32;
    public const int TrailerOffsetMagic = 0;
    public const int TrailerOffsetPayloadOffset = 8;
    public const int TrailerOffsetPayloadSize = 16;
    public const int TrailerOffsetFormatVersion = 24;
    public const int TrailerOffsetTrailerSize = 28;

    public const ulong HeaderMagic = 0x4B41504B4453584FUL; // the bytes "OXSDKPAK"
    public const int FormatVersion = 1;
    public const int HeaderSize = 128;
    public const int HeaderOffsetMagic = 0;
    public const int HeaderOffsetFormatVersion = 8;
    public const int HeaderOffsetHeaderSize = 12;
    public const int HeaderOffsetEntryCount = 16;
    public const int HeaderOffsetEntrySize = 20;
    public const int HeaderOffsetEntriesOffset = 24;
    public const int HeaderOffsetStringsOffset = 32;
    public const int HeaderOffsetStringsSize = 40;
    public const int HeaderOffsetPropertyCount = 48;
    public const int HeaderOffsetPropertySize = 52;
    public const int HeaderOffsetPropertiesOffset = 56;
    public const int HeaderOffsetRuntimeContract = 64;
    public const int HeaderOffsetEntryAssemblyIndex = 68;
    public const int HeaderOffsetRuntimeVersion = 72;
    public const int HeaderOffsetRuntimeIdentifier = 80;
    public const int HeaderOffsetFlags = 88;
    public const int HeaderOffsetDependencyCount = 92;
    public const int HeaderOffsetDependenciesOffset = 96;

    public const int FlagDiagnosticsEnabled = 1;
    public const int FlagStartupHooksEnabled = 2;
    public const int FlagPackedFilesReadOnly = 4;
    /// <summary>The front is a Native AOT app (PublishAot=true): no runtime or managed assembly packed, no entry assembly.</summary>
    public const int FlagNativeAot = 8;
    /// <summary>entry_assembly_index of a Native AOT payload.</summary>
    public const uint NoEntryAssembly = 0xFFFFFFFFU;

    public const int EntrySize = 80;
    public const int EntryOffsetName = 0;
    public const int EntryOffsetKind = 8;
    public const int EntryOffsetCodec = 10;
    public const int EntryOffsetFlags = 12;
    public const int EntryOffsetDataOffset = 16;
    public const int EntryOffsetStoredSize = 24;
    public const int EntryOffsetOriginalSize = 32;
    public const int EntryOffsetSha256 = 40;
    public const int EntryOffsetDependenciesFirst = 72;
    public const int EntryOffsetDependenciesCount = 76;

    public const int EntryFlagMappedLibrary = 1;

    public const int StringRefSize = 8;

    public const int PropertySize = 16;
    public const int PropertyOffsetKey = 0;
    public const int PropertyOffsetValue = 8;

    public const int DependencySize = 4;

    public const int KindManagedAssembly = 1;
    public const int KindNativeLibrary = 2;
    public const int KindContent = 3;

    public const int CodecStored = 0;
    public const int CodecLz4 = 1;

    public const int PayloadAlignment = 4096;
    public const int AssemblyAlignment = 4096;
    public const int DataAlignment = 16;
    /// <summary>A stored content file at least this large starts on a page too, so that an app's mmap of it maps
    /// the executable's own pages (the host's views of packed files, entry_views.c); smaller ones would waste up to
    /// a page each for little.</summary>
    public const int MappedContentMinimumSize = 65536;
    public const int LibraryAlignment = 4096;

    public const int MaxNameLength = 1024;
    public const int MaxEntryCount = 1000000;
    public const int MaxPropertyCount = 10000;

    public const int RuntimeContractNet10 = 10;
}
