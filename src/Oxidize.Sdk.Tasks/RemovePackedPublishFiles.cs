using Microsoft.Build.Framework;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// Deletes publish-folder copies of files that are packed into the executable, and the folders that
/// become empty. Needed for files another SDK copies with its own targets (ASP.NET Core's static web
/// assets), which Oxidize cannot keep out of the publish folder before they are copied.
/// </summary>
public sealed class RemovePackedPublishFiles : Microsoft.Build.Utilities.Task
{
    [Required]
    public string PublishDirectory { get; set; } = "";

    /// <summary>Publish-relative paths ('/' or '\' separated).</summary>
    public ITaskItem[] RelativePaths { get; set; } = [];

    public override bool Execute()
    {
        string root = Path.GetFullPath(PublishDirectory);
        foreach (ITaskItem item in RelativePaths)
        {
            string path = Path.GetFullPath(Path.Combine(root, item.ItemSpec.Replace('\\', '/')));
            // Never outside the publish folder, whatever the item says.
            if (!path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal) || !File.Exists(path))
                continue;
            File.Delete(path);
            for (string? folder = Path.GetDirectoryName(path);
                 folder is not null && folder.Length > root.TrimEnd('/').Length && !Directory.EnumerateFileSystemEntries(folder).Any();
                 folder = Path.GetDirectoryName(folder))
                Directory.Delete(folder);
        }
        return true;
    }
}
