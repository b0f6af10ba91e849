using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Oxidize.Packing.Lz4;

/// <summary>The encoders' byte-level primitives: little-endian reads and match measuring.</summary>
internal static class Lz4Bytes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Read16(ReadOnlySpan<byte> data, int position) => BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Read32(ReadOnlySpan<byte> data, int position) => BinaryPrimitives.ReadUInt32LittleEndian(data[position..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read64(ReadOnlySpan<byte> data, int position) => BinaryPrimitives.ReadUInt64LittleEndian(data[position..]);

    /// <summary>
    /// How many bytes starting at <paramref name="position"/> equal those starting at the earlier
    /// <paramref name="match"/>, stopping at <paramref name="limit"/>. The regions may overlap (an offset
    /// shorter than the match), which is exactly what the decoder replays. CommonPrefixLength is
    /// vectorized, which matters for the long matches of padding and tables.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CommonLength(ReadOnlySpan<byte> data, int position, int match, int limit) =>
        data[position..limit].CommonPrefixLength(data[match..]);
}
