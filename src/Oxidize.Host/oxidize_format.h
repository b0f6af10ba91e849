/*
 * The packed-resources format, version 1: the one table of constants shared with the C# writer
 * (src/Oxidize.Packing/FormatConstants.cs). A test (FormatConstantsAgreeTests) parses this file and
 * fails when a name or value differs from the C# side, so change both together.
 * The byte layout is specified in docs/format.md. All integers are little-endian.
 */
#ifndef OXIDIZE_FORMAT_H
#define OXIDIZE_FORMAT_H

/* Trailer: the last bytes of the executable, so the host finds the payload without parsing ELF. */
#define OXPAK_TRAILER_MAGIC 0x444E454B4453584FULL /* the bytes "OXSDKEND" */
#define OXPAK_TRAILER_SIZE 32
#define OXPAK_TRAILER_OFFSET_MAGIC 0
#define OXPAK_TRAILER_OFFSET_PAYLOAD_OFFSET 8
#define OXPAK_TRAILER_OFFSET_PAYLOAD_SIZE 16
#define OXPAK_TRAILER_OFFSET_FORMAT_VERSION 24
#define OXPAK_TRAILER_OFFSET_TRAILER_SIZE 28

/* Header: the first bytes of the payload. */
#define OXPAK_HEADER_MAGIC 0x4B41504B4453584FULL /* the bytes "OXSDKPAK" */
#define OXPAK_FORMAT_VERSION 1
#define OXPAK_HEADER_SIZE 128
#define OXPAK_HEADER_OFFSET_MAGIC 0
#define OXPAK_HEADER_OFFSET_FORMAT_VERSION 8
#define OXPAK_HEADER_OFFSET_HEADER_SIZE 12
#define OXPAK_HEADER_OFFSET_ENTRY_COUNT 16
#define OXPAK_HEADER_OFFSET_ENTRY_SIZE 20
#define OXPAK_HEADER_OFFSET_ENTRIES_OFFSET 24
#define OXPAK_HEADER_OFFSET_STRINGS_OFFSET 32
#define OXPAK_HEADER_OFFSET_STRINGS_SIZE 40
#define OXPAK_HEADER_OFFSET_PROPERTY_COUNT 48
#define OXPAK_HEADER_OFFSET_PROPERTY_SIZE 52
#define OXPAK_HEADER_OFFSET_PROPERTIES_OFFSET 56
#define OXPAK_HEADER_OFFSET_RUNTIME_CONTRACT 64
#define OXPAK_HEADER_OFFSET_ENTRY_ASSEMBLY_INDEX 68
#define OXPAK_HEADER_OFFSET_RUNTIME_VERSION 72
#define OXPAK_HEADER_OFFSET_RUNTIME_IDENTIFIER 80
#define OXPAK_HEADER_OFFSET_FLAGS 88
#define OXPAK_HEADER_OFFSET_DEPENDENCY_COUNT 92
#define OXPAK_HEADER_OFFSET_DEPENDENCIES_OFFSET 96

/* Header flags. */
#define OXPAK_FLAG_DIAGNOSTICS_ENABLED 1
#define OXPAK_FLAG_STARTUP_HOOKS_ENABLED 2
#define OXPAK_FLAG_PACKED_FILES_READ_ONLY 4
/* The front is a Native AOT app with the serving component linked in (aot_start.c), not the host: no runtime or
   managed assembly is packed, entry_assembly_index is OXPAK_NO_ENTRY_ASSEMBLY and entry_count may be 0. */
#define OXPAK_FLAG_NATIVE_AOT 8
#define OXPAK_NO_ENTRY_ASSEMBLY 0xFFFFFFFFU

/* Entry: one fixed-size record a resource, sorted by name (ordinal bytes of UTF-8). */
#define OXPAK_ENTRY_SIZE 80
#define OXPAK_ENTRY_OFFSET_NAME 0
#define OXPAK_ENTRY_OFFSET_KIND 8
#define OXPAK_ENTRY_OFFSET_CODEC 10
#define OXPAK_ENTRY_OFFSET_FLAGS 12
#define OXPAK_ENTRY_OFFSET_DATA_OFFSET 16
#define OXPAK_ENTRY_OFFSET_STORED_SIZE 24
#define OXPAK_ENTRY_OFFSET_ORIGINAL_SIZE 32
#define OXPAK_ENTRY_OFFSET_SHA256 40
#define OXPAK_ENTRY_OFFSET_DEPENDENCIES_FIRST 72
#define OXPAK_ENTRY_OFFSET_DEPENDENCIES_COUNT 76

/* Entry flags. A mapped library is a stored native library, page-aligned, that the publish found loadable by the host's
   own ELF loader (elf_loader.c): mapped from the executable instead of copied into a memfd. */
#define OXPAK_ENTRY_FLAG_MAPPED_LIBRARY 1

/* A string reference: u32 offset into the string table, u32 length without the NUL that follows. */
#define OXPAK_STRING_REF_SIZE 8

/* Property: a runtime property handed to CoreCLR, two string references. */
#define OXPAK_PROPERTY_SIZE 16
#define OXPAK_PROPERTY_OFFSET_KEY 0
#define OXPAK_PROPERTY_OFFSET_VALUE 8

/* A dependency is a u32 entry index (a packed native library another one needs loaded first). */
#define OXPAK_DEPENDENCY_SIZE 4

/* Entry kinds. */
#define OXPAK_KIND_MANAGED_ASSEMBLY 1
#define OXPAK_KIND_NATIVE_LIBRARY 2
#define OXPAK_KIND_CONTENT 3

/* Codecs. An LZ4 entry is one LZ4 block (lz4_Block_format.md) whose decoded size is original_size. */
#define OXPAK_CODEC_STORED 0
#define OXPAK_CODEC_LZ4 1

/* Alignment: stored managed assemblies are mapped by the runtime straight from the file, so page-aligned. */
#define OXPAK_PAYLOAD_ALIGNMENT 4096
#define OXPAK_ASSEMBLY_ALIGNMENT 4096
#define OXPAK_DATA_ALIGNMENT 16
/* Stored content files this large are page-aligned as well, so that an app's mmap maps the executable's pages. */
#define OXPAK_MAPPED_CONTENT_MINIMUM_SIZE 65536
#define OXPAK_LIBRARY_ALIGNMENT 4096

/* Limits that keep a hostile file from making the host allocate or loop without bound. */
#define OXPAK_MAX_NAME_LENGTH 1024
#define OXPAK_MAX_ENTRY_COUNT 1000000
#define OXPAK_MAX_PROPERTY_COUNT 10000

/* Which host_runtime_contract layout the payload was packed for: the runtime's major version. */
#define OXPAK_RUNTIME_CONTRACT_NET10 10

#endif
