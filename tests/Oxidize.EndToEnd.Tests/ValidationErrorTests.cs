using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Unsupported combinations fail early with their OXSDK code and leave no executable behind: one real publish per code.
/// The variants of each check (every misspelt boolean, every required runtime file, ...) run in process, without a
/// publish, in Oxidize.Sdk.Tests' ValidationTargetTests.
/// </summary>
[TestClass]
public sealed class ValidationErrorTests
{
    [TestMethod]
    public void PublishSingleFileFailsWithOXSDK1001() =>
        AssertFailsWith("OXSDK1001", Sample(nameof(PublishSingleFileFailsWithOXSDK1001)), s => s.Publish("-p:PublishSingleFile=true"));

    [TestMethod]
    public void WindowsArm64RuntimeFailsWithOXSDK1003() =>
        AssertFailsWith("OXSDK1003", Sample(nameof(WindowsArm64RuntimeFailsWithOXSDK1003)), s => s.PublishForRuntime("win-arm64"));

    // The check runs while restore walks the graph, so it must win over any NU1xxx about the runtime pack.
    [TestMethod]
    public void LinuxMuslFailsWithOXSDK1003NamingTheSupportedRuntimes()
    {
        SampleProject sample = Sample(nameof(LinuxMuslFailsWithOXSDK1003NamingTheSupportedRuntimes));
        AssertFailsWith("OXSDK1003", sample, s => s.PublishForRuntime("linux-musl-arm64"));
        Assert.Contains("Supported: linux-x64, linux-arm64, win-x64", sample.PublishForRuntime("linux-musl-arm64").Output);
    }

    // The bundled userland has no arm64 bootstrap yet: say so instead of OXSDK4001's missing file.
    [TestMethod]
    public void BundledUserlandForLinuxArm64FailsWithOXSDK4005() =>
        AssertFailsWith("OXSDK4005", Sample(nameof(BundledUserlandForLinuxArm64FailsWithOXSDK4005)),
            s => s.PublishForRuntime("linux-arm64", "-p:OxidizeUserland=bundled"));

    // The bundled userland is Linux's loader and libraries: a Windows publish says so instead of OXSDK4005's missing bootstrap.
    [TestMethod]
    public void BundledUserlandForWindowsFailsWithOXSDK4006() =>
        AssertFailsWith("OXSDK4006", Sample(nameof(BundledUserlandForWindowsFailsWithOXSDK4006)),
            s => s.PublishForRuntime("win-x64", "-p:OxidizeUserland=bundled"));

    [TestMethod]
    public void FrameworkDependentFailsWithOXSDK1005() =>
        AssertFailsWith("OXSDK1005", Sample(nameof(FrameworkDependentFailsWithOXSDK1005)), s => s.Publish("--self-contained", "false"));

    [TestMethod]
    public void PackedFilesReadOnlyOtherThanTrueOrFalseFailsWithOXSDK1008() =>
        AssertFailsWith("OXSDK1008", Sample(nameof(PackedFilesReadOnlyOtherThanTrueOrFalseFailsWithOXSDK1008)),
            s => s.Publish("-p:OxidizePackedFilesReadOnly=yes"));

    // Issue 13: each of these silently produced an ordinary framework-dependent publish (a later -p wins over the
    // -p:Oxidize=true the helper passes first).
    [TestMethod]
    [DataRow("True ")]
    public void OxidizeNeitherTrueNorFalseFailsWithOXSDK1030(string value)
    {
        SampleProject sample = Sample(nameof(OxidizeNeitherTrueNorFalseFailsWithOXSDK1030));
        ProcessResult result = AssertFailsWith("OXSDK1030", sample, s => s.Publish($"-p:Oxidize={value}"));
        Assert.Contains($"Oxidize is '{value}'", result.Output, result.ToString());
        Assert.IsFalse(Directory.Exists(sample.PublishDirectory) && Directory.EnumerateFileSystemEntries(sample.PublishDirectory).Any(),
            $"The refused publish still wrote an ordinary publish into {sample.PublishDirectory}:{result}");
    }

    // Issue 13: OxidizeAllowStartupHooks=banana gave a raw MSB4030, OxidizeAudit=maybe was read as false.
    [TestMethod]
    [DataRow("OxidizeAllowStartupHooks", "banana")]
    public void BooleanPropertyOtherThanTrueOrFalseFailsWithOXSDK1031(string property, string value)
    {
        SampleProject sample = Sample(nameof(BooleanPropertyOtherThanTrueOrFalseFailsWithOXSDK1031));
        ProcessResult result = AssertFailsWith("OXSDK1031", sample, s => s.Publish($"-p:{property}={value}"));
        Assert.Contains($"{property} is '{value}'", result.Output, result.ToString());
        Assert.DoesNotContain("MSB4030", result.Output, result.ToString());
    }

    /// <summary>A composite crossgen2 cannot build (here: an option it does not know) stops the publish with the switch that
    /// gives per-assembly images back, after crossgen2's own message.</summary>
    [TestMethod]
    public void ACompositeThatDoesNotCompileFailsWithOXSDK1047()
    {
        SampleProject sample = Sample(nameof(ACompositeThatDoesNotCompileFailsWithOXSDK1047));
        ProcessResult result = AssertFailsWith("OXSDK1047", sample,
            s => s.Publish("-p:OxidizeReadyToRunComposite=true", "-p:PublishReadyToRunCrossgen2ExtraArgs=--no-such-option"));
        Assert.Contains("no-such-option", result.Output, result.ToString());
        Assert.Contains("OxidizeReadyToRunComposite=false", result.Output, result.ToString());
    }

    [TestMethod]
    public void BooleanPropertiesAcceptTrueAndFalseInAnyCase()
    {
        SampleProject sample = Sample(nameof(BooleanPropertiesAcceptTrueAndFalseInAnyCase));
        ProcessResult result = sample.Publish("-p:Oxidize=TRUE", "-p:OxidizeAllowStartupHooks=True", "-p:OxidizeAudit=FALSE",
            "-p:OxidizeEnableDiagnostics=False", "-p:OxidizePackedFilesReadOnly=TRUE");
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, []);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("Hello from an oxidized app!", run.StandardOutput);
    }

    // Issue 13: these publishes succeeded with an executable that could never start.
    [TestMethod]
    [DataRow("libclrjit.so%3BSystem.Runtime.dll")]
    public void ExcludingARuntimeFileTheExecutableNeedsFailsWithOXSDK1032(string excluded)
    {
        SampleProject sample = Sample(nameof(ExcludingARuntimeFileTheExecutableNeedsFailsWithOXSDK1032));
        ProcessResult result = AssertFailsWith("OXSDK1032", sample, s => s.Publish($"-p:OxidizeExcludedRuntimeFiles={excluded}"));
        Assert.Contains($"leaves out {excluded.Replace("createdump%3B", "", StringComparison.Ordinal).Replace("%3B", ", ", StringComparison.Ordinal)}, without",
            result.Output, result.ToString());
    }

    // Whether or not the net9.0 runtime pack can be restored, the framework check fires first.
    [TestMethod]
    public void Net9TargetFrameworkFailsWithOXSDK1004()
    {
        SampleProject sample = Sample(nameof(Net9TargetFrameworkFailsWithOXSDK1004));
        sample.EditProjectFile("<TargetFramework>net10.0</TargetFramework>", "<TargetFramework>net9.0</TargetFramework>");
        AssertFailsWith("OXSDK1004", sample, s => s.Publish());
    }

    [TestMethod]
    public void PackageReferenceWithoutRuntimeFailsWithOXSDK1007ThenPublishesWithIt()
    {
        SampleProject sample = Sample(nameof(PackageReferenceWithoutRuntimeFailsWithOXSDK1007ThenPublishesWithIt));
        string sdk = $"<Sdk Name=\"Oxidize.Sdk\" Version=\"{RepoPaths.OxidizeVersion}\" />";
        sample.EditProjectFile(sdk, "<ItemGroup><PackageReference Include=\"Oxidize.Sdk\" PrivateAssets=\"all\" /></ItemGroup>");

        AssertFailsWith("OXSDK1007", sample, s => s.PublishWithoutRuntime());
        Assert.DoesNotContain("NETSDK1047", sample.PublishWithoutRuntime().Output, "the SDK's own error comes after ours");

        ProcessResult publish = sample.Publish();
        Assert.AreEqual(0, publish.ExitCode, $"With -r linux-x64 the PackageReference form publishes:{publish}");
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, []);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("Hello from an oxidized app!", run.StandardOutput);
    }

    private static SampleProject Sample(string testName) => SampleProject.Create("Hello", testName);

    private static ProcessResult AssertFailsWith(string errorCode, SampleProject sample, Func<SampleProject, ProcessResult> publish)
    {
        ProcessResult result = publish(sample);

        Assert.AreNotEqual(0, result.ExitCode, $"The publish should have failed with {errorCode}:{result}");
        Assert.Contains($"error {errorCode}:", result.Output, $"The publish did not report {errorCode}:{result}");
        Assert.IsFalse(File.Exists(sample.ExecutablePath), $"A failed publish left {sample.ExecutablePath} behind:{result}");
        return result;
    }
}
