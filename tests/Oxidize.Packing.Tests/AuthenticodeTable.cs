using System.Buffers.Binary;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>
/// What Authenticode signing (signtool, osslsigncode) does to an oxidized .exe, by hand: a WIN_CERTIFICATE appended
/// (dwLength, wRevision 2.0, WIN_CERT_TYPE_PKCS_SIGNED_DATA, then stand-in bytes for the PKCS#7 blob) and the PE
/// security directory (data directory 4, whose address is a file offset) pointed at it.
/// </summary>
internal static class AuthenticodeTable
{
    public const int TableSize = 8 + 40;

    /// <summary><paramref name="unsigned"/> (built on <see cref="HandMadePe"/>) with the table appended and the security
    /// directory set to its offset and to its size plus <paramref name="tableSizeDelta"/>.</summary>
    public static byte[] Appended(byte[] unsigned, int tableSizeDelta = 0)
    {
        byte[] signed = [.. unsigned, .. new byte[TableSize]];
        BinaryPrimitives.WriteUInt32LittleEndian(signed.AsSpan(unsigned.Length), TableSize);
        BinaryPrimitives.WriteUInt16LittleEndian(signed.AsSpan(unsigned.Length + 4), 0x0200);
        BinaryPrimitives.WriteUInt16LittleEndian(signed.AsSpan(unsigned.Length + 6), 0x0002);
        signed.AsSpan(unsigned.Length + 8).Fill(0xA5);
        int securityDirectory = HandMadePe.ImportDirectoryEntryOffset + 3 * 8; // data directory 4 (1 is the imports)
        BinaryPrimitives.WriteUInt32LittleEndian(signed.AsSpan(securityDirectory), (uint)unsigned.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(signed.AsSpan(securityDirectory + 4), (uint)(TableSize + tableSizeDelta));
        return signed;
    }
}
