using Oxidize.Tool.Contents;
using Oxidize.Tool.Report;

namespace Oxidize.Tool.Commands;

/// <summary>`dotnet oxidize report FILE -o report.html`: one self-contained HTML page (HtmlReport).</summary>
public static class ReportCommand
{
    public static int Run(string path, string outputPath, TextWriter output)
    {
        using var contents = ExecutableContents.Open(path);
        string html = HtmlReport.Render(contents);
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (folder is not null)
                Directory.CreateDirectory(folder);
            File.WriteAllText(outputPath, html);
        }
        catch (Exception failed) when (failed is IOException or UnauthorizedAccessException)
        {
            throw new ToolException(ExitCodes.OutputRefused, $"cannot write {outputPath}: {failed.Message}");
        }
        output.WriteLine($"Wrote {outputPath} ({Sizes.Human(new FileInfo(outputPath).Length)}): open it in a browser; it needs no network.");
        return ExitCodes.Success;
    }
}
