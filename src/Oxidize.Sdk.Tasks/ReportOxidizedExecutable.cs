using Microsoft.Build.Framework;
using Oxidize.Audit;
using Oxidize.Audit.Report;
using Oxidize.Packing;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// After packing: reads the executable's index (PackedResourcesReader), joins each entry with the
/// package its file came from, writes the contents report as JSON and logs a short summary (totals,
/// the largest files). A thin adapter over Oxidize.Audit's ContentsReport.
/// </summary>
public sealed class ReportOxidizedExecutable : Microsoft.Build.Utilities.Task
{
    private const int LargestShown = 10;

    public ReportOxidizedExecutable()
        : base(Strings.ResourceManager)
    {
    }

    [Required]
    public string ExecutablePath { get; set; } = "";

    /// <summary>@(_OxidizeFile), for the package of each entry.</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>@(ResolvedRuntimePack), to tell the runtime's files from the packages'.</summary>
    public ITaskItem[] RuntimePacks { get; set; } = [];

    [Required]
    public string ReportPath { get; set; } = "";

    public override bool Execute()
    {
        var runtimePacks = TaskItems.RuntimePackIds(RuntimePacks);
        var origins = new Dictionary<string, PackageOrigin?>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            try
            {
                origins[TaskItems.EntryName(file)] = TaskItems.PackageOf(file);
            }
            catch (PackingException)
            {
                // The packer already refused such a name; nothing to report about it here.
            }
        }

        ContentsReport report;
        try
        {
            using var reader = PackedResourcesReader.Open(ExecutablePath);
            report = new ContentsReport(Path.GetFileName(ExecutablePath), reader.Length, reader.Entries.Select(entry =>
            {
                var package = origins.GetValueOrDefault(entry.Name);
                return new ContentsEntry(entry.Name, entry.Kind, entry.Codec, entry.StoredSize, entry.OriginalSize, package,
                    package is not null && runtimePacks.Contains(package.Id));
            }));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.LogWarningWithCodeFromResources(nameof(Strings.ReportExecutableUnreadable), ExecutablePath, exception.Message);
            return true;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ReportPath))!);
            File.WriteAllBytes(ReportPath, report.ToJson());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.AuditOutputUnwritable), ReportPath, exception.Message);
            return false;
        }

        var largest = report.Largest(LargestShown).Select((entry, index) => $"{Environment.NewLine}  {index + 1,2}. {ContentsReport.Describe(entry)}");
        Log.LogMessageFromResources(MessageImportance.High, nameof(Strings.ReportSummary), report.Entries.Count,
            ContentsReport.Megabytes(report.Entries.Sum(entry => entry.StoredSize)), ContentsReport.Megabytes(report.ExecutableSize),
            report.KindTotals(), ReportPath, string.Concat(largest));
        return true;
    }
}
