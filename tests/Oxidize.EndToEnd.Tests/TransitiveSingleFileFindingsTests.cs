using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// OXSDK3010 for a package the project does not reference itself: the fixture app referencing
/// Audit.Fixture.UsesLocation instead of Audit.Fixture.Location gets Location's Assembly.Location finding as
/// one OXSDK3011 summary, with the details at normal verbosity.
/// </summary>
[TestClass]
public sealed class TransitiveSingleFileFindingsTests
{
    [TestMethod]
    public void APackageThatOnlyComesInThroughAnotherIsSummarized()
    {
        SampleProject sample = AuditFixtureFeed.CreateApp(nameof(APackageThatOnlyComesInThroughAnotherIsSummarized));
        sample.EditProjectFile("<PackageReference Include=\"Audit.Fixture.Location\" />",
            "<PackageReference Include=\"Audit.Fixture.UsesLocation\" />");

        ProcessResult publish = sample.Publish("-p:OxidizeMaxGlibcVersion=2.34", "-p:OxidizeAllowedSystemLibraries=libnotthere.so.1", "-v:n");

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        // At normal verbosity MSBuild prints each warning with a "1>" node prefix, then again in its summary.
        string[] summaries = [.. AuditOutput.Lines(publish, "warning", "OXSDK3011").Select(line => line[(line.IndexOf('>') + 1)..]).Distinct()];
        Assert.HasCount(1, summaries, publish.ToString());
        StringAssert.Contains(summaries[0], "Packages the project does not reference itself (1) call APIs");
        StringAssert.Contains(summaries[0], "Audit.Fixture.Location 1.0.3 (Assembly.Location)");
        StringAssert.Contains(summaries[0], "OxidizeSuppressSingleFileWarnings (Audit.Fixture.Location)");
        Assert.IsEmpty(AuditOutput.Lines(publish, "warning", "OXSDK3010"), publish.ToString());
        StringAssert.Contains(publish.Output, "Audit.Fixture.Location.DataFolder.Path", "the calls are in the log at normal verbosity");
    }
}
