using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Oxidize.Packing;
using Oxidize.Userland;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// -p:OxidizeUserland=bundled (docs/userland.md): the userland the executable carries, found by
/// <see cref="UserlandResolver"/>, as extra files to pack. Carried files that the host must not load itself get
/// OxidizeKind=Content; those every start reads get OxidizeKeepStored=true.
/// </summary>
public sealed class ResolveOxidizeUserland : Microsoft.Build.Utilities.Task
{
    [Required]
    public string HostPath { get; set; } = "";

    /// <summary>@(_OxidizeFile): the DT_NEEDED names of its native libraries are part of the closure.</summary>
    public ITaskItem[] Files { get; set; } = [];

    public bool IncludeIcu { get; set; }

    public bool IncludeOpenSsl { get; set; }

    public string CertificatesFile { get; set; } = "";

    public string ZoneInfoDirectory { get; set; } = "";

    /// <summary>Folders to find libraries in instead of the loader's cache (`ldconfig -p`); for tests and cross setups.</summary>
    public string[] LibraryDirectories { get; set; } = [];

    /// <summary>The files to pack, with RelativePath, OxidizeKind=Content (all but the on-demand libraries) and OxidizeKeepStored.</summary>
    [Output]
    public ITaskItem[] UserlandFiles { get; private set; } = [];

    /// <summary>The carried glibc's version, e.g. "2.36".</summary>
    [Output]
    public string GlibcVersion { get; private set; } = "";

    public override bool Execute()
    {
        UserlandPlan plan;
        try
        {
            plan = UserlandResolver.Resolve(new UserlandRequest
            {
                HostPath = HostPath,
                PackedFiles = [.. Files.Select(file => new PackedFile(file.ItemSpec, TaskItems.EntryName(file)))],
                IncludeIcu = IncludeIcu,
                IncludeOpenSsl = IncludeOpenSsl,
                CertificatesFile = CertificatesFile,
                ZoneInfoDirectory = ZoneInfoDirectory,
                LibraryDirectories = LibraryDirectories,
            });
        }
        catch (PackingException exception)
        {
            Log.LogError(subcategory: null, errorCode: exception.Code, helpKeyword: null, file: null, lineNumber: 0, columnNumber: 0,
                endLineNumber: 0, endColumnNumber: 0, message: exception.Message[(exception.Code.Length + 2)..]);
            return false;
        }
        if (plan.LoaderCacheFailure is { } failure)
            Log.LogMessage(MessageImportance.Low, $"Oxidize userland: {failure}; searching {string.Join(", ", LibraryLocator.DefaultLibraryDirectories)}.");
        UserlandFiles = [.. plan.Files.Select(ToItem)];
        GlibcVersion = plan.GlibcVersion;
        Log.LogMessage(MessageImportance.Normal, $"Oxidize userland: loader {plan.LoaderPath}, glibc {plan.GlibcVersion}, preloaded {string.Join(" ", plan.Preloaded)}; on demand {string.Join(" ", plan.OnDemand)}.");
        return true;
    }

    private static TaskItem ToItem(UserlandFile file)
    {
        var item = new TaskItem(file.SourcePath);
        item.SetMetadata("RelativePath", file.EntryName);
        if (file.IsContent)
            item.SetMetadata("OxidizeKind", "Content");
        if (file.KeepStored)
            item.SetMetadata("OxidizeKeepStored", "true");
        return item;
    }
}
