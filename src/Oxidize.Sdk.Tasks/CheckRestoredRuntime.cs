using Microsoft.Build.Framework;
using NuGet.Frameworks;
using NuGet.ProjectModel;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// OXSDK1007: Oxidize.Sdk referenced as a PackageReference chooses the runtime identifier only after NuGet restored
/// the project, so the assets file may hold no target for it. Reads the assets file with NuGet's own model (the
/// targets NuGet restored, by framework and runtime identifier) instead of searching its text.
/// </summary>
public sealed class CheckRestoredRuntime : Microsoft.Build.Utilities.Task
{
    public CheckRestoredRuntime()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>$(ProjectAssetsFile): obj/project.assets.json.</summary>
    [Required]
    public string ProjectAssetsFile { get; set; } = "";

    /// <summary>$(TargetFramework), e.g. net10.0.</summary>
    [Required]
    public string TargetFramework { get; set; } = "";

    [Required]
    public string RuntimeIdentifier { get; set; } = "";

    public override bool Execute()
    {
        LockFile? assets = LockFileUtilities.GetLockFile(ProjectAssetsFile, NuGet.Common.NullLogger.Instance);
        // No assets file, or one NuGet cannot read: restore reports that itself, and ResolvePackageAssets after it.
        if (assets is null)
            return true;
        if (assets.GetTarget(NuGetFramework.Parse(TargetFramework), RuntimeIdentifier) is not null)
            return true;
        Log.LogErrorWithCodeFromResources(nameof(Strings.RuntimeNotRestored), RuntimeIdentifier);
        return false;
    }
}
