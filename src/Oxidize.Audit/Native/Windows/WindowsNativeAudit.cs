using System.Reflection.PortableExecutable;

namespace Oxidize.Audit.Native.Windows;

/// <summary>
/// The native audit of a Windows executable (win-x64): every PE file (the host and each packed native DLL) must be built
/// for the target's machine, and every DLL it imports must be packed or part of Windows (<see cref="WindowsSystemLibraries"/>)
/// or allowed by the user (OxidizeAllowedSystemLibraries): the Windows counterpart of <see cref="NativeAudit"/>'s DT_NEEDED
/// check, reported the same way (<see cref="MissingLibraryFinding"/>). There are no symbol versions to check: Windows keeps
/// its DLLs' exports across releases, and the API sets name what a release provides.
/// </summary>
public static class WindowsNativeAudit
{
    /// <summary>The DLLs coreclr_initialize loads before Main (the runtime and its JIT; the host loads coreclr.dll itself).</summary>
    public static IReadOnlySet<string> LoadedByTheRuntime { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "coreclr.dll", "clrjit.dll",
    };

    public static NativeAuditResult Analyze(IReadOnlyList<NativeBinary> binaries, NativePolicy policy, Machine machine)
    {
        ArgumentNullException.ThrowIfNull(binaries);
        ArgumentNullException.ThrowIfNull(policy);

        var unreadable = new List<UnreadableNativeFile>();
        var readable = new List<(NativeBinary Binary, PeImportInfo Info)>();
        foreach (var binary in binaries)
        {
            if (Read(binary, machine, out var info, out string reason))
                readable.Add((binary, info!));
            else
                unreadable.Add(new UnreadableNativeFile(binary.Name, binary.Package, reason));
        }

        // Windows finds a DLL by file name, in any case.
        var packedByFileName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (binary, _) in readable.Where(file => file.Binary.IsPacked))
            packedByFileName.TryAdd(Path.GetFileName(binary.Name), binary.Name);
        var allowed = new HashSet<string>(policy.AllowedLibraries, StringComparer.OrdinalIgnoreCase);
        var startup = Startup(readable, packedByFileName);

        var missing = new List<MissingLibraryFinding>();
        var summaries = new List<NativeFileSummary>();
        foreach (var (binary, info) in readable)
        {
            summaries.Add(new NativeFileSummary(binary.Name, binary.Package, null, [.. info.Imports, .. info.DelayImports], []));
            bool atStartup = startup.Contains(binary.Name);
            bool Unresolved(string dll) => !packedByFileName.ContainsKey(dll) && !WindowsSystemLibraries.IsPartOfWindows(dll) && !allowed.Contains(dll);
            foreach (string dll in info.Imports.Distinct(StringComparer.OrdinalIgnoreCase).Where(Unresolved))
                missing.Add(new MissingLibraryFinding(binary.Name, binary.Package, dll, atStartup));
            // A delay-loaded DLL is loaded on the first call into it, whenever its importer loads.
            foreach (string dll in info.DelayImports.Distinct(StringComparer.OrdinalIgnoreCase).Where(Unresolved))
                missing.Add(new MissingLibraryFinding(binary.Name, binary.Package, dll, LoadsAtStartup: false));
        }

        return new NativeAuditResult([], [], missing, unreadable, [], summaries, policy.MaxGlibc);
    }

    /// <summary>The host, the runtime's DLLs and the packed DLLs they import (not delay-import), transitively.</summary>
    private static HashSet<string> Startup(List<(NativeBinary Binary, PeImportInfo Info)> readable, Dictionary<string, string> packedByFileName)
    {
        var importsOf = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (binary, info) in readable)
            importsOf.TryAdd(binary.Name, info.Imports);
        var startup = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(readable
            .Where(file => !file.Binary.IsPacked || LoadedByTheRuntime.Contains(Path.GetFileName(file.Binary.Name)))
            .Select(file => file.Binary.Name));
        while (pending.TryDequeue(out string? name))
        {
            if (!startup.Add(name))
                continue;
            foreach (string dll in importsOf[name])
            {
                if (packedByFileName.TryGetValue(dll, out string? packed))
                    pending.Enqueue(packed);
            }
        }
        return startup;
    }

    private static bool Read(NativeBinary binary, Machine machine, out PeImportInfo? info, out string reason)
    {
        info = null;
        reason = "";
        try
        {
            info = PeImports.Read(binary.Content);
        }
        catch (InvalidDataException exception)
        {
            reason = exception.Message;
            return false;
        }
        if (info.Machine != machine)
        {
            reason = $"it is built for the PE machine {info.Machine} (0x{(ushort)info.Machine:X4}), not {machine} (0x{(ushort)machine:X4})";
            return false;
        }
        return true;
    }
}
