using Microsoft.Build.Framework;
using Oxidize.Audit;
using Oxidize.Packing;

namespace Oxidize.Sdk.Tasks;

/// <summary>Reads the metadata the .NET SDK puts on ResolvedFileToPublish and ResolvedRuntimePack items, shared by the audit tasks.</summary>
internal static class TaskItems
{
    /// <summary>The runtime packs' package ids (Microsoft.NETCore.App.Runtime.linux-x64, ...), case-insensitive as NuGet ids are.</summary>
    public static HashSet<string> RuntimePackIds(ITaskItem[] runtimePacks) =>
        new(runtimePacks.Select(pack => pack.GetMetadata("NuGetPackageId")).Where(id => id.Length > 0), StringComparer.OrdinalIgnoreCase);

    /// <summary>The package a file came from (NuGetPackageId/NuGetPackageVersion), or null for the project's own files.</summary>
    public static PackageOrigin? PackageOf(ITaskItem file)
    {
        string id = file.GetMetadata("NuGetPackageId");
        string version = file.GetMetadata("NuGetPackageVersion");
        return id.Length > 0 && version.Length > 0 ? new PackageOrigin(id, version) : null;
    }

    /// <summary>The entry name: RelativePath with '/' separators, or the file name; throws PackingException (OXSDK2001) when invalid.</summary>
    public static string EntryName(ITaskItem file)
    {
        string relativePath = file.GetMetadata("RelativePath");
        return ResourceName.Normalize(relativePath.Length > 0 ? relativePath : Path.GetFileName(file.ItemSpec));
    }

    /// <summary>
    /// The files without exact duplicates. The SDK lists some items twice with the same source and the same target
    /// (a Content item with CopyToPublishDirectory but no CopyToOutputDirectory, or with Always): those are one file
    /// of the publish, so the first of each (full path, RelativePath) pair is kept. Compared ordinally, so names that
    /// differ only in case stay two files and fail as OXSDK2002, as do two sources with one target.
    /// </summary>
    public static ITaskItem[] WithoutExactDuplicates(ITaskItem[] files)
    {
        var seen = new HashSet<(string Source, string Target)>();
        return [.. files.Where(file => seen.Add((file.GetMetadata("FullPath"), file.GetMetadata("RelativePath").Replace('\\', '/'))))];
    }

    /// <summary>The Oxidize version, without the "+commit" suffix the SDK adds to the informational version.</summary>
    public static string OxidizeVersion()
    {
        string? version = typeof(TaskItems).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), inherit: false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        return version is null ? "0.0.0" : version.Split('+')[0];
    }
}
