using Oxidize.Packing.Elf;

namespace Oxidize.Audit.Native;

/// <summary>
/// Checks every ELF file of the executable against a <see cref="NativePolicy"/>: symbol versions
/// above the glibc floor (and libstdc++ versions the distributions at that floor lack), and DT_NEEDED
/// libraries that are neither packed nor on every system. Requirements on a library that is itself
/// packed are satisfied by the packed copy and not checked.
/// </summary>
public static class NativeAudit
{
    /// <summary>The families whose highest version is reported; only GLIBC, GLIBCXX and CXXABI are checked (the distribution table tracks those).</summary>
    public static IReadOnlyList<string> Families { get; } = ["GLIBC", "GLIBCXX", "CXXABI", "GCC"];

    private static readonly string[] CxxFamilies = ["GLIBCXX", "CXXABI"];

    public static NativeAuditResult Analyze(IReadOnlyList<NativeBinary> binaries, NativePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(binaries);
        ArgumentNullException.ThrowIfNull(policy);

        var unreadable = new List<UnreadableNativeFile>();
        var readable = new List<(NativeBinary Binary, ElfInfo Info)>();
        foreach (var binary in binaries)
        {
            if (Read(binary, policy.Machine, out var info, out string reason))
                readable.Add((binary, info!));
            else
                unreadable.Add(new UnreadableNativeFile(binary.Name, binary.Package, reason));
        }

        var packedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (binary, info) in readable.Where(file => file.Binary.IsPacked))
        {
            packedNames.Add(Path.GetFileName(binary.Name));
            if (info.Soname is { } soname)
                packedNames.Add(soname);
        }

        var startup = StartupLibraries.Find([.. readable.Select(file => (file.Binary.Name, file.Info.Soname, file.Info.Needed, file.Binary.IsPacked))]);

        // Versions required from a library that is packed are the packed copy's business.
        var requirements = readable.Select(file =>
        {
            var systemRequirements = file.Info.VersionRequirements.Where(requirement => !packedNames.Contains(requirement.File)).ToList();
            return (file.Binary, file.Info, Requirements: systemRequirements, PerFamily: SymbolVersion.HighestPerFamily(systemRequirements));
        }).ToList();

        var highest = new Dictionary<string, HighestRequirement>(StringComparer.Ordinal);
        foreach (var (binary, _, _, perFamily) in requirements)
        {
            foreach (string family in Families)
            {
                if (perFamily.TryGetValue(family, out var version) && (!highest.TryGetValue(family, out var current) || version.Version > current.Version.Version))
                    highest[family] = new HighestRequirement(version, binary.Name);
            }
        }

        // libstdc++ is checked on the releases the executable runs on at all: those at the declared floor, or
        // without one, at the real floor (a library needing glibc 2.34 already excludes what lacks it).
        var floor = policy.MaxGlibc;
        if (!policy.FloorDeclared && highest.TryGetValue("GLIBC", out var neededGlibc) && neededGlibc.Version.Version > floor)
            floor = neededGlibc.Version.Version;
        var supported = KnownDistributions.SupportedAt(floor);

        var glibcTooNew = new List<VersionFinding>();
        var cxxTooNew = new List<VersionFinding>();
        var summaries = new List<NativeFileSummary>();
        foreach (var (binary, info, systemRequirements, perFamily) in requirements)
        {
            summaries.Add(new NativeFileSummary(binary.Name, binary.Package, info.Soname, info.Needed,
                [.. Families.Where(perFamily.ContainsKey).Select(family => perFamily[family])]));

            bool atStartup = startup.Contains(binary.Name);
            Lazy<IReadOnlyDictionary<(string File, string Version), IReadOnlyList<string>>> symbols = new(() => VersionedSymbols.Read(binary.Content));
            if (perFamily.TryGetValue("GLIBC", out var glibc) && glibc.Version > policy.MaxGlibc)
                glibcTooNew.Add(Finding(binary, systemRequirements, glibc, symbols, KnownDistributions.Lacking("GLIBC", glibc.Version), atStartup));
            foreach (string family in CxxFamilies)
            {
                if (!perFamily.TryGetValue(family, out var required))
                    continue;
                var failsOn = KnownDistributions.Lacking(family, required.Version, supported);
                if (failsOn.Count > 0)
                    cxxTooNew.Add(Finding(binary, systemRequirements, required, symbols, failsOn, atStartup));
            }
        }

        // Only packed libraries satisfy a DT_NEEDED entry (the host is checked, but serves no library).
        var missing = new List<MissingLibraryFinding>();
        foreach (var (binary, info) in readable)
        {
            foreach (string library in info.Needed.Distinct(StringComparer.Ordinal)
                .Where(library => !packedNames.Contains(library) && !SystemLibraryPolicy.IsAllowed(library) && !policy.AllowedLibraries.Contains(library)))
                missing.Add(new MissingLibraryFinding(binary.Name, binary.Package, library, startup.Contains(binary.Name), CommonSystemLibraries.Find(library)));
        }

        return new NativeAuditResult(glibcTooNew, cxxTooNew, missing, unreadable, [.. Families.Where(highest.ContainsKey).Select(family => highest[family])], summaries, floor);
    }

    private static VersionFinding Finding(
        NativeBinary binary, List<VersionRequirement> requirements, SymbolVersion version,
        Lazy<IReadOnlyDictionary<(string File, string Version), IReadOnlyList<string>>> symbols, IReadOnlyList<Distribution> failsOn, bool atStartup)
    {
        string library = requirements.First(requirement => requirement.Version == version.Name).File;
        var names = symbols.Value.TryGetValue((library, version.Name), out var found) ? found : [];
        return new VersionFinding(binary.Name, binary.Package, library, version, names, failsOn, atStartup);
    }

    private static bool Read(NativeBinary binary, ElfMachine machine, out ElfInfo? info, out string reason)
    {
        info = null;
        reason = "";
        try
        {
            info = ElfFile.Read(binary.Content);
        }
        catch (InvalidDataException exception)
        {
            reason = exception.Message;
            return false;
        }
        if (info.Machine != machine)
        {
            reason = $"it is built for {TargetMachine.Name(info.Machine)} (e_machine {(ushort)info.Machine}), not {TargetMachine.Name(machine)}";
            return false;
        }
        return true;
    }
}
