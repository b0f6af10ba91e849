using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// tests/Samples/AuditSqlite published with the audit's defaults: Microsoft.Data.Sqlite's native SQLite needs
/// glibc 2.34, above the runtime's 2.27, and no floor is declared, so the audit reports the executable's real
/// floor as a warning (loaded when first used, not at startup) and the publish succeeds. A declared floor makes
/// it an error (AuditSqliteTests).
/// </summary>
[TestClass]
public sealed class AuditSqliteDefaultTests
{
    [TestMethod]
    public void ByDefaultTheDriversGlibcIsAWarningAndTheAppPublishesAndRuns()
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", nameof(ByDefaultTheDriversGlibcIsAWarningAndTheAppPublishesAndRuns));

        ProcessResult publish = sample.Publish();

        Assert.AreEqual(0, publish.ExitCode, $"The default publish failed:{publish}");
        string glibc = AuditOutput.Single(publish, "warning", "OXSDK3001", "'libe_sqlite3.so'", "@GLIBC_2.34", "the executable needs glibc 2.34 or newer");
        StringAssert.Contains(glibc, "Ubuntu 20.04 (glibc 2.31)");
        StringAssert.Contains(glibc, "the app fails when it first uses 'libe_sqlite3.so'");
        StringAssert.Contains(glibc, "set OxidizeMaxGlibcVersion to 2.34");
        Assert.DoesNotContain("fails to start", glibc, "SQLite is loaded on first use");
        Assert.IsEmpty(AuditOutput.Lines(publish, "error", "OXSDK3001"), publish.ToString());
        StringAssert.Contains(publish.Output, "Oxidize audit: the executable needs GLIBC_2.34 (libe_sqlite3.so)");

        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, ["--query", "select 40 + 2"], timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.StandardOutput, "result: 42");
    }
}
