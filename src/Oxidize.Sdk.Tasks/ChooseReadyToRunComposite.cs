using Microsoft.Build.Framework;
using Oxidize.Packing;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// Decides whether OxidizeReadyToRunComposite=auto composes this app (an ASP.NET Core app, or one that ships IL-only
/// libraries: <see cref="ReadyToRunCompositeInputs.HasOwnLibraries"/>), and splits the publish's assemblies into the
/// inputs of the composite image (the rule is <see cref="ReadyToRunCompositeInputs"/>) and the rest, which the targets
/// pass to the SDK as PublishReadyToRunCompositeExclusions and to crossgen2 as references.
/// </summary>
public sealed class ChooseReadyToRunComposite : Microsoft.Build.Utilities.Task
{
    public ChooseReadyToRunComposite()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>The app's own assembly (@(IntermediateAssembly)).</summary>
    [Required]
    public string AppAssembly { get; set; } = "";

    /// <summary>The assemblies the SDK would precompile: ResolvedFileToPublish with PostprocessAssembly=true.</summary>
    public ITaskItem[] Assemblies { get; set; } = [];

    /// <summary>@(ResolvedRuntimePack): each runtime pack's package id (the item) and FrameworkName.</summary>
    public ITaskItem[] RuntimePacks { get; set; } = [];

    /// <summary>OxidizeReadyToRunComposite: true composes any app; auto only an ASP.NET Core app or one with its own libraries.</summary>
    [Required]
    public string Mode { get; set; } = "";

    /// <summary>The project has a FrameworkReference to Microsoft.AspNetCore.App.</summary>
    public bool AspNetCore { get; set; }

    /// <summary>Whether to compose: false leaves every assembly its own ReadyToRun image.</summary>
    [Output]
    public bool Compose { get; private set; }

    /// <summary>Every other assembly of <see cref="Assemblies"/>, with its metadata.</summary>
    [Output]
    public ITaskItem[] OtherAssemblies { get; private set; } = [];

    public override bool Execute()
    {
        var frameworkByPackage = RuntimePacks
            .Where(pack => pack.GetMetadata("FrameworkName").Length > 0)
            .ToDictionary(pack => pack.ItemSpec, pack => pack.GetMetadata("FrameworkName"), StringComparer.OrdinalIgnoreCase);
        var published = Assemblies.Select(item => new PublishedAssembly(item.GetMetadata("FullPath"),
            frameworkByPackage.GetValueOrDefault(item.GetMetadata("NuGetPackageId")))).ToList();
        string appAssembly = Path.GetFullPath(AppAssembly);
        IReadOnlyList<string> inputs;
        try
        {
            bool automatic = string.Equals(Mode, "auto", StringComparison.OrdinalIgnoreCase);
            if (automatic && !AspNetCore && !ReadyToRunCompositeInputs.HasOwnLibraries(appAssembly, published))
            {
                Log.LogMessage(MessageImportance.Normal, "Oxidize: no ReadyToRun composite (OxidizeReadyToRunComposite=auto): the app ships no library of its own and is no ASP.NET Core app, so each assembly keeps its own code.");
                return true;
            }
            inputs = ReadyToRunCompositeInputs.Choose(appAssembly, published);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.InputUnreadable), AppAssembly, exception.Message);
            return false;
        }

        Compose = true;
        var chosen = new HashSet<string>(inputs, StringComparer.Ordinal);
        OtherAssemblies = [.. Assemblies.Where(item => !chosen.Contains(item.GetMetadata("FullPath")))];
        Log.LogMessage(MessageImportance.Normal, "Oxidize: a ReadyToRun composite of {0} assemblies ({1}); {2} others keep their own code.",
            inputs.Count, string.Join(", ", inputs.Select(Path.GetFileName)), OtherAssemblies.Length);
        return true;
    }
}
