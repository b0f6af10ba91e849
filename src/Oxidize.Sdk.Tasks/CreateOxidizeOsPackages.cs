using Microsoft.Build.Framework;
using Oxidize.Audit.Shipping;
using Oxidize.Packing;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// Writes the .deb, .rpm and .tar.gz OxidizePackages asks for (Oxidize.Audit.Shipping), with Depends:/Requires:
/// and the copyright from the audit's bill of materials. A thin adapter: properties in, log out.
/// </summary>
public sealed class CreateOxidizeOsPackages : Microsoft.Build.Utilities.Task
{
    public CreateOxidizeOsPackages()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>$(OxidizePackages): deb, rpm, tar.gz separated by ';', ',' or blanks.</summary>
    [Required]
    public string Formats { get; set; } = "";

    /// <summary>Only check the properties, the tools and the documents (before the publish builds anything); write nothing.</summary>
    public bool CheckOnly { get; set; }

    public string ExecutablePath { get; set; } = "";

    public string BomPath { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    [Required]
    public string WorkDirectory { get; set; } = "";

    [Required]
    public string ProjectDirectory { get; set; } = "";

    [Required]
    public string PackageName { get; set; } = "";

    [Required]
    public string CommandName { get; set; } = "";

    public string Version { get; set; } = "";

    public string RpmRelease { get; set; } = "";

    public string Maintainer { get; set; } = "";

    public string Description { get; set; } = "";

    public string Summary { get; set; } = "";

    public string Homepage { get; set; } = "";

    public string License { get; set; } = "";

    public string Copyright { get; set; } = "";

    [Required]
    public string RuntimeIdentifier { get; set; } = "";

    public bool InvariantGlobalization { get; set; }

    public bool BundledUserland { get; set; }

    public bool SystemdService { get; set; }

    /// <summary>$(SOURCE_DATE_EPOCH) (MSBuild sees environment variables as properties); empty: the project's commit time.</summary>
    public string SourceDateEpoch { get; set; } = "";

    /// <summary>@(OxidizePackageDocument): files shipped beside the executable (README, LICENSE); metadata PackagePath renames one.</summary>
    public ITaskItem[] Documents { get; set; } = [];

    public string Rpmbuild { get; set; } = "rpmbuild";

    [Output]
    public ITaskItem[] Packages { get; set; } = [];

    public override bool Execute()
    {
        try
        {
            var formats = OsPackageFormats.Parse(Formats);
            if (formats.Count == 0)
                return true;
            var metadata = ShippingMetadata.Create(PackageName, CommandName, Version, RpmRelease, Maintainer, Description, Summary, Homepage, License,
                Copyright, RuntimeIdentifier);
            var documents = Documents.Select(document => new ShippedDocument(document.GetMetadata("FullPath"),
                document.GetMetadata("PackagePath") is { Length: > 0 } name ? name : Path.GetFileName(document.ItemSpec))).ToList();
            if (CheckOnly)
            {
                OsPackages.CheckInputs(formats, Rpmbuild, documents);
                if (SourceDateEpoch.Trim().Length > 0)
                    _ = SourceDate.Resolve(SourceDateEpoch, ProjectDirectory);
                return !Log.HasLoggedErrors;
            }
            var facts = BomFacts.Read(BomPath);
            DateTimeOffset timestamp;
            if (SourceDate.Resolve(SourceDateEpoch, ProjectDirectory) is { } source)
            {
                timestamp = source.Time;
                Log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.OsPackagesTimestamp), source.Time.ToString("u"), source.Origin);
            }
            else
            {
                // Not reproducible, but dated: the executable only changes when its inputs do.
                timestamp = new DateTimeOffset(File.GetLastWriteTimeUtc(ExecutablePath), TimeSpan.Zero);
                Log.LogWarningWithCodeFromResources(nameof(Strings.OsPackagesNoTimestamp), timestamp.ToString("u"));
            }
            var request = new ShippingRequest(formats, metadata, RuntimeIdentifier, ExecutablePath, facts, InvariantGlobalization, BundledUserland,
                documents, SystemdService, timestamp, OutputDirectory, WorkDirectory, Rpmbuild);
            var written = OsPackages.Write(request, out var dependencies);
            Log.LogMessageFromResources(MessageImportance.High, nameof(Strings.OsPackagesSummary), string.Join(", ", written),
                dependencies.Count == 0 ? Strings.OsPackagesNoDependencies : string.Join(", ", dependencies.Select(dependency => $"{dependency.Debian} ({dependency.Reason})")));
            Packages = [.. written.Select(path => new Microsoft.Build.Utilities.TaskItem(path))];
        }
        catch (PackingException exception)
        {
            Log.LogError(null, exception.Code, null, null, 0, 0, 0, 0, exception.Message[(exception.Code.Length + 2)..]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.OsPackagesUnwritable), OutputDirectory, exception.Message);
        }
        return !Log.HasLoggedErrors;
    }
}
