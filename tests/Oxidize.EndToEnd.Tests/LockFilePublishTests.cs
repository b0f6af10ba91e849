using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// An Oxidize publish turns the SDK's single-file analyzer on, which brings the SDK's ILLink package into restore. A
/// project that restores from a NuGet lock file must still restore the same graph as its plain build (in locked mode,
/// anything else is NU1004), so there the analyzer stays off and the audit's own IL scan (OXSDK3010) reports the same
/// APIs.
/// </summary>
[TestClass]
public sealed class LockFilePublishTests
{
    [TestMethod]
    public void WithoutALockFileTheSdksSingleFileAnalyzerWarns()
    {
        SampleProject sample = HelloThatUsesAssemblyLocation(nameof(WithoutALockFileTheSdksSingleFileAnalyzerWarns));

        ProcessResult publish = sample.Publish();

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        Assert.Contains("warning IL3000", publish.Output, publish.ToString());
        AuditOutput.Single(publish, "warning", "OXSDK3010", "Assembly.Location");
    }

    [TestMethod]
    public void AProjectWithALockFilePublishesInLockedModeAndTheAuditStillReportsItsSingleFileApis()
    {
        SampleProject sample = HelloThatUsesAssemblyLocation(nameof(AProjectWithALockFilePublishesInLockedModeAndTheAuditStillReportsItsSingleFileApis));
        sample.EditProjectFile("<OutputType>Exe</OutputType>",
            "<OutputType>Exe</OutputType>\n    <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>\n    <RuntimeIdentifiers>linux-x64</RuntimeIdentifiers>");
        ProcessResult build = sample.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(sample.ProjectDirectory, "packages.lock.json")), "the plain build wrote no lock file");

        ProcessResult publish = sample.Publish("-p:RestoreLockedMode=true");

        Assert.AreEqual(0, publish.ExitCode, $"a locked restore of the Oxidize publish failed:{publish}");
        Assert.DoesNotContain("NU1004", publish.Output, publish.ToString());
        Assert.DoesNotContain("warning IL3000", publish.Output, "the analyzer's package would have changed the locked graph");
        AuditOutput.Single(publish, "warning", "OXSDK3010", "Assembly.Location");
    }

    /// <summary>Hello without its silencing of IL3000 and OXSDK3010 for the Assembly.Location it prints.</summary>
    private static SampleProject HelloThatUsesAssemblyLocation(string scratchName)
    {
        SampleProject sample = SampleProject.Create("Hello", Path.Combine(nameof(LockFilePublishTests), scratchName));
        sample.EditProjectFile("<OxidizeSuppressSingleFileWarnings>Hello</OxidizeSuppressSingleFileWarnings>", "");
        string program = Path.Combine(sample.ProjectDirectory, "Program.cs");
        const string pragma = "#pragma warning disable IL3000";
        string source = File.ReadAllText(program);
        Assert.Contains(pragma, source, "the Hello sample changed: update this test");
        File.WriteAllText(program, source.Replace(pragma, "// (IL3000 left on by the test)", StringComparison.Ordinal));
        return sample;
    }
}
