using System.Text.RegularExpressions;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// `dotnet oxidize report` on the RealApp executable, opened in headless Chromium with every host name unresolvable:
/// the treemap draws boxes for the largest kinds and packages, a real mouse click zooms into a box and the path zooms
/// back out, and a screenshot lands in artifacts/e2e/DotnetOxidizeReportTests/report.png on every run.
/// </summary>
[TestClass]
public sealed partial class DotnetOxidizeReportTests
{
    [TestMethod]
    public void ReportIsOneOfflinePageWhoseTreemapZoomsOnClick()
    {
        string executable = PublishedRealApp.ExecutablePath;
        string scratch = Path.Combine(RepoPaths.EndToEndFolder, nameof(DotnetOxidizeReportTests));
        if (Directory.Exists(scratch))
            Directory.Delete(scratch, recursive: true);
        Directory.CreateDirectory(scratch);
        string report = Path.Combine(scratch, "report.html");
        var locked = LockedPackages.OfSample("RealApp", PublishedRealApp.Sample.ProjectDirectory);
        var (sqliteId, sqliteVersion) = locked.PackageCarrying("libe_sqlite3.so");

        ProcessResult written = InstalledOxidizeTool.Run("report", executable, "-o", report);

        Assert.AreEqual(0, written.ExitCode, written.ToString());
        string html = File.ReadAllText(report);
        // One file: nothing it would load from elsewhere, and a policy that forbids loading anything.
        Assert.IsFalse(ExternalReference().IsMatch(html), "the report refers to another file or the network");
        StringAssert.Contains(html, "default-src 'none'");
        // The licenses, from the packed bill of materials.
        StringAssert.Contains(html, $"<td>System.CommandLine</td><td>{locked.Version("System.CommandLine")}</td><td>MIT</td>");

        using var chromium = HeadlessChromium.Open(new Uri(report).AbsoluteUri, scratch);
        chromium.WaitUntil("document.querySelectorAll('#treemap .box').length > 0", "the treemap drew its boxes");
        // At the top: one box per kind, each with its packages inside, largest first.
        chromium.WaitUntil("['managed', 'native', 'content'].every(kind => document.querySelector(`#treemap > .box[data-path=\"${kind}\"]`))", "a box for each kind");
        string runtimePack = "managed/Microsoft.NETCore.App.Runtime.linux-x64 ";
        Assert.IsTrue(chromium.Evaluate($"[...document.querySelectorAll('#treemap .box')].some(box => box.dataset.path.startsWith('{runtimePack}'))")!.GetValue<bool>(),
            "no box for the runtime pack, the largest package");
        Assert.IsTrue(chromium.Evaluate($"!!document.querySelector('#treemap .box[data-path=\"native/{sqliteId} {sqliteVersion}\"]')")!.GetValue<bool>(),
            $"no box for {sqliteId} {sqliteVersion}");

        chromium.Click("#treemap > .box[data-path=\"native\"]");
        chromium.WaitUntil("document.getElementById('treemap').dataset.zoom === 'native'", "a click on the native box zoomed into it");
        Assert.IsTrue(chromium.Evaluate("!!document.querySelector('#treemap .box[data-name=\"libe_sqlite3.so\"]')")!.GetValue<bool>(),
            "zoomed into native, the map shows no libe_sqlite3.so box");
        Assert.IsFalse(chromium.Evaluate("!!document.querySelector('#treemap .box[data-path^=\"managed\"]')")!.GetValue<bool>(), "zoomed into native, managed boxes remain");
        chromium.Screenshot(Path.Combine(scratch, "report-zoomed.png"));

        chromium.Click("#breadcrumb a[data-depth=\"0\"]");
        chromium.WaitUntil("document.getElementById('treemap').dataset.zoom === ''", "the path's first link zoomed back out");
        // Stored bytes (what the file holds) or original bytes (before LZ4): the switch redraws the map by the other size.
        chromium.Click("input[name=size][value=original]");
        chromium.WaitUntil("location.hash.includes('size=original') && document.querySelector('#treemap > .box[data-path=\"managed\"]') !== null", "the original-bytes switch redrew the map");
        string screenshot = Path.Combine(scratch, "report.png");
        chromium.Screenshot(screenshot);
        byte[] png = File.ReadAllBytes(screenshot);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4], "the screenshot is not a PNG");
        Assert.IsGreaterThan(20_000, png.Length, "the screenshot is too small to show the page");
    }

    [TestMethod]
    public void PublishWithOxidizeReportHtmlWritesThePageNextToTheContentsReport()
    {
        SampleProject sample = SampleProject.Create("Hello", "OxidizeReportHtml");
        ProcessResult refused = sample.Publish("-p:OxidizeReport=pdf");
        Assert.AreNotEqual(0, refused.ExitCode, refused.ToString());
        StringAssert.Contains(refused.Output, "OXSDK1017", refused.ToString());
        Assert.IsFalse(File.Exists(sample.ExecutablePath), "a refused publish wrote the executable");

        ProcessResult publish = sample.Publish("-p:OxidizeReport=html");

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        string[] pages = Directory.GetFiles(Path.Combine(sample.ProjectDirectory, "obj"), "Hello.oxidize.report.html", SearchOption.AllDirectories);
        Assert.HasCount(1, pages, publish.ToString());
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(pages[0])!, "Hello.oxidize.report.json"), "the page is not next to the contents report");
        StringAssert.Contains(publish.Output, $"Oxidize: size map and licenses in {pages[0]}", publish.ToString());
        string html = File.ReadAllText(pages[0]);
        StringAssert.Contains(html, "<h1>Hello</h1>");
        StringAssert.Contains(html, "\"name\":\"System.Private.CoreLib.dll\"");
    }

    [GeneratedRegex(@"(?:src|href)\s*=\s*[""']?(?:https?:|//|file:)|<link\b|@import|url\(", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
