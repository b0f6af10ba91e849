using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The publish-time audit (issue 5) on packages built here, each carrying one problem: the publish fails
/// with the documented code naming the file and the package, succeeds with warnings when the native
/// findings are demoted, and succeeds quietly when the policy accepts each fixture.
/// </summary>
[TestClass]
public sealed class AuditFixtureTests
{
    [TestMethod]
    public void EachFixtureGivesItsCodeNamingTheFileAndThePackage()
    {
        SampleProject sample = AuditFixtureFeed.CreateApp(nameof(EachFixtureGivesItsCodeNamingTheFileAndThePackage));

        ProcessResult publish = sample.Publish();

        Assert.AreNotEqual(0, publish.ExitCode, $"The publish succeeded despite the fixtures:{publish}");
        // No glibc floor is declared: the glibc finding is a warning, the missing library still an error.
        string glibc = AuditOutput.Single(publish, "warning", "OXSDK3001", "'libnewglibc.so'", "Audit.Fixture.NewGlibc 1.0.1", "pthread_create@GLIBC_2.34");
        StringAssert.Contains(glibc, "Debian 11 (glibc 2.31)");
        StringAssert.Contains(glibc, "OxidizeMaxGlibcVersion to 2.34");
        AuditOutput.Single(publish, "error", "OXSDK3003", "'libneedsmissing.so'", "Audit.Fixture.MissingLib 1.0.2", "'libnotthere.so.1'");
        AuditOutput.Single(publish, "warning", "OXSDK3010", "Audit.Fixture.Location 1.0.3", "Assembly.Location", "Audit.Fixture.Location.DataFolder.Path");
        CollectionAssert.AreEqual(new[] { "OXSDK3001", "OXSDK3003", "OXSDK3010" }, AuditOutput.Codes(publish));
        Assert.IsFalse(File.Exists(sample.ExecutablePath), "a refused publish must not leave an executable");
    }

    [TestMethod]
    public void WithNativeFindingsAsWarningsThePublishSucceeds()
    {
        SampleProject sample = AuditFixtureFeed.CreateApp(nameof(WithNativeFindingsAsWarningsThePublishSucceeds));

        ProcessResult publish = sample.Publish("-p:OxidizeNativeAuditSeverity=warning");

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        AuditOutput.Single(publish, "warning", "OXSDK3001", "'libnewglibc.so'", "Audit.Fixture.NewGlibc 1.0.1");
        AuditOutput.Single(publish, "warning", "OXSDK3003", "'libneedsmissing.so'", "Audit.Fixture.MissingLib 1.0.2");
        AuditOutput.Single(publish, "warning", "OXSDK3010", "Audit.Fixture.Location 1.0.3");
        var entries = PackedExecutable.Entries(sample.ExecutablePath);
        Assert.IsTrue(entries.ContainsKey("libnewglibc.so") && entries.ContainsKey("libneedsmissing.so") && entries.ContainsKey(".oxidize/bom.cdx.json"),
            string.Join(", ", entries.Keys));
    }

    [TestMethod]
    public void PolicyAcceptingEachFixtureSilencesTheAudit()
    {
        SampleProject sample = AuditFixtureFeed.CreateApp(nameof(PolicyAcceptingEachFixtureSilencesTheAudit));

        ProcessResult publish = sample.Publish(
            "-p:OxidizeMaxGlibcVersion=2.34", "-p:OxidizeAllowedSystemLibraries=libnotthere.so.1", "-p:OxidizeSuppressSingleFileWarnings=audit.fixture.location");

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsEmpty(AuditOutput.Codes(publish), publish.ToString());
        StringAssert.Contains(publish.Output, "Oxidize audit: the executable needs GLIBC_2.34 (libnewglibc.so)");
    }

    [TestMethod]
    public void TurningTheAuditOffPublishesAsBefore()
    {
        SampleProject sample = AuditFixtureFeed.CreateApp(nameof(TurningTheAuditOffPublishesAsBefore));

        ProcessResult publish = sample.Publish("-p:OxidizeAudit=false");

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsEmpty(AuditOutput.Codes(publish), publish.ToString());
        Assert.DoesNotContain("Oxidize audit:", publish.Output);
        Assert.IsFalse(PackedExecutable.Entries(sample.ExecutablePath).ContainsKey(".oxidize/bom.cdx.json"));
    }
}
