using System.Buffers.Binary;

namespace Oxidize.Packing;

/// <summary>
/// OutputType=WinExe for win-x64: the host is written with the Windows GUI subsystem instead of the console one, so
/// starting the app opens no console window, as the .NET SDK's own apphost does for WinExe (it sets the same field).
/// Only the optional header's Subsystem field changes: the host is otherwise byte for byte the one in the package.
/// </summary>
public static class WindowsSubsystem
{
    private const ushort Gui = 2;      // IMAGE_SUBSYSTEM_WINDOWS_GUI
    private const ushort Console = 3;  // IMAGE_SUBSYSTEM_WINDOWS_CUI
    private const ushort Pe32Plus = 0x20B;
    private const int SubsystemOffset = 68; // in the optional header, PE32 and PE32+ alike

    /// <summary>A copy of the console host <paramref name="host"/> with the GUI subsystem. Throws PackingException
    /// (OXSDK2004) when the host is not a PE32+ console executable: then it is not a host this package builds.</summary>
    public static byte[] WithGraphicalSubsystem(ReadOnlySpan<byte> host)
    {
        if (FieldOffset(host) is not { } field || BinaryPrimitives.ReadUInt16LittleEndian(host[field..]) != Console)
            throw new PackingException(PackingErrorCodes.HostNotExecutable,
                "The native host is not a PE32+ (x64) console executable, so OutputType=WinExe cannot switch it to the Windows GUI subsystem.");
        byte[] copy = host.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(field), Gui);
        return copy;
    }

    /// <summary>The Subsystem field of a PE32+ image (2 GUI, 3 console), or null when it is not one.</summary>
    public static ushort? Of(ReadOnlySpan<byte> image) =>
        FieldOffset(image) is { } field ? BinaryPrimitives.ReadUInt16LittleEndian(image[field..]) : null;

    /// <summary>The file offset of a PE32+ image's Subsystem field, or null when the bytes are not a PE32+ image.</summary>
    private static int? FieldOffset(ReadOnlySpan<byte> image)
    {
        if (image.Length < 0x40 || image[0] != (byte)'M' || image[1] != (byte)'Z')
            return null;
        int peHeader = BinaryPrimitives.ReadInt32LittleEndian(image[0x3C..]);
        if (peHeader < 0x40 || peHeader > image.Length - (4 + 20 + SubsystemOffset + 2))
            return null;
        int optionalHeader = peHeader + 4 + 20;
        if (!image.Slice(peHeader, 4).SequenceEqual("PE\0\0"u8) || BinaryPrimitives.ReadUInt16LittleEndian(image[optionalHeader..]) != Pe32Plus)
            return null;
        return optionalHeader + SubsystemOffset;
    }
}
