namespace Oxidize.Audit.Native.Windows;

/// <summary>
/// The DLLs every supported Windows (10 1607 / Server 2016 and later, the .NET 10 floor for x64) has in System32, so a
/// packed DLL may import them without packing them. Two kinds: the API sets (api-ms-win-*; not the ext-ms-win-*
/// extension sets, which some editions lack), which the
/// loader resolves to system DLLs by name, the universal C runtime's api-ms-win-crt-* among them (part of Windows since
/// Windows 10); and the system DLLs below, which the .NET runtime pack's own DLLs and common NuGet native packages
/// import. Not on the list on purpose: the Visual C++ runtime (vcruntime140.dll, msvcp140.dll, ...), which comes with
/// applications, not with Windows: a DLL that needs it must have it packed beside it, or be allowed with
/// OxidizeAllowedSystemLibraries where every target installs the redistributable. Names compare case-insensitively,
/// as Windows compares them.
/// </summary>
public static class WindowsSystemLibraries
{
    private static readonly HashSet<string> SystemDlls = new(StringComparer.OrdinalIgnoreCase)
    {
        // The Win32 core and the native API.
        "ntdll.dll", "kernel32.dll", "kernelbase.dll", "user32.dll", "gdi32.dll", "advapi32.dll", "shell32.dll", "shlwapi.dll",
        "ole32.dll", "oleaut32.dll", "combase.dll", "rpcrt4.dll", "version.dll", "userenv.dll", "psapi.dll", "dbghelp.dll",
        "comctl32.dll", "comdlg32.dll", "imm32.dll", "winmm.dll", "setupapi.dll", "cfgmgr32.dll", "powrprof.dll", "wtsapi32.dll",
        "pdh.dll", "mpr.dll", "netapi32.dll", "uxtheme.dll", "dwmapi.dll", "msimg32.dll", "winspool.drv", "propsys.dll",
        // The C runtime Windows ships (the universal CRT; msvcrt.dll is the system's own, which mingw-w64 code links against).
        "ucrtbase.dll", "msvcrt.dll",
        // Security and cryptography.
        "bcrypt.dll", "ncrypt.dll", "crypt32.dll", "secur32.dll", "sspicli.dll", "wintrust.dll", "credui.dll", "authz.dll",
        // Networking.
        "ws2_32.dll", "mswsock.dll", "iphlpapi.dll", "dnsapi.dll", "winhttp.dll", "wininet.dll", "wldap32.dll", "httpapi.dll",
        "normaliz.dll", "fwpuclnt.dll",
        // Graphics a GUI or a drawing library uses.
        "d3d11.dll", "d3d12.dll", "dxgi.dll", "d2d1.dll", "dwrite.dll", "windowscodecs.dll", "opengl32.dll", "gdiplus.dll",
        // ICU, which Windows 10 1903 and later carry and .NET's globalization uses.
        "icu.dll",
    };

    /// <summary>The documented list (for docs/how-it-works.md and the audit's messages), in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. SystemDlls.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Whether <paramref name="dll"/> is part of every supported Windows: an API set or a listed system DLL.</summary>
    public static bool IsPartOfWindows(string dll) =>
        dll.StartsWith("api-ms-win-", StringComparison.OrdinalIgnoreCase) || SystemDlls.Contains(dll);
}
