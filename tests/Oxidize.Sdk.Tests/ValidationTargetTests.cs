namespace Oxidize.Sdk.Tests;

/// <summary>
/// The publish-time checks (_OxidizeValidateSwitch, _OxidizeValidateBeforePublish and what hangs off them) run in
/// process on a project that uses the repository's SDK files: each case is an evaluation and a few targets, not a
/// publish. Oxidize.EndToEnd.Tests' ValidationErrorTests keep one real publish per code (the command line, restore,
/// the publish folder left as it was).
/// </summary>
[TestClass]
public sealed class ValidationTargetTests
{
    private const string Validation = "_OxidizeValidateSwitch;_OxidizeValidateBeforePublish";

    [TestMethod]
    public void ASupportedPublishPassesEveryCheck()
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string>());
        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsEmpty(result.Errors, result.ToString());
    }

    [TestMethod]
    [DataRow("1")]
    [DataRow("True ")]
    [DataRow(" false")]
    [DataRow("yes")]
    [DataRow("ture")]
    public void OxidizeNeitherTrueNorFalseFailsWithOXSDK1030(string value) =>
        AssertFailsWith("OXSDK1030", $"Oxidize is '{value}'; use true", new() { ["Oxidize"] = value });

    [TestMethod]
    public void GlobalPublishSingleFileFailsWithOXSDK1001() =>
        AssertFailsWith("OXSDK1001", "given on the command line", new() { ["PublishSingleFile"] = "true" });

    [TestMethod]
    public void ProjectPublishSingleFileIsTakenOverWithOXSDK1009()
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string>(), body: "<PublishSingleFile>true</PublishSingleFile>");
        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.Contains("OXSDK1009: Oxidize=true takes over from the project's PublishSingleFile=true", result.Output, result.ToString());
    }

    [TestMethod]
    public void PublishAotPassesEveryCheck()
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string> { ["PublishAot"] = "true" });
        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsEmpty(result.Errors, result.ToString());
    }

    [TestMethod]
    public void PublishAotWithStartupHooksFailsWithOXSDK1042() =>
        AssertFailsWith("OXSDK1042", "OxidizeAllowStartupHooks=true cannot be combined with PublishAot=true",
            new() { ["PublishAot"] = "true", ["OxidizeAllowStartupHooks"] = "true" });

    [TestMethod]
    public void PublishAotForArm64FailsWithOXSDK1040() =>
        AssertFailsWith("OXSDK1040", "supports only RuntimeIdentifier linux-x64, not 'linux-arm64'",
            new() { ["PublishAot"] = "true", ["RuntimeIdentifier"] = "linux-arm64" });

    [TestMethod]
    [DataRow("win-arm64")]
    [DataRow("win-x86")]
    [DataRow("linux-musl-x64")]
    [DataRow("osx-arm64")]
    public void UnsupportedRuntimeFailsWithOXSDK1003NamingTheSupportedOnes(string runtime) =>
        AssertFailsWith("OXSDK1003", $"does not support RuntimeIdentifier '{runtime}'. Supported: linux-x64, linux-arm64, win-x64 (",
            new() { ["RuntimeIdentifier"] = runtime });

    [TestMethod]
    public void NoRuntimeOutsideDotnetPublishFailsWithOXSDK1003() =>
        AssertFailsWith("OXSDK1003", "needs a RuntimeIdentifier but none is set", new(), publishing: false);

    [TestMethod]
    [DataRow("net9.0")]
    [DataRow("net8.0")]
    public void TargetFrameworkBelowNet10FailsWithOXSDK1004Only(string framework)
    {
        TargetsResult result = AssertFailsWith("OXSDK1004", $"the project targets '{framework}'", new() { ["TargetFramework"] = framework });
        Assert.HasCount(1, result.Errors, "the framework first: no OXSDK1003/1005 about what PublishDefaults left unset");
    }

    [TestMethod]
    public void FrameworkDependentFailsWithOXSDK1005() =>
        AssertFailsWith("OXSDK1005", "SelfContained is 'false'", new() { ["SelfContained"] = "false" });

    [TestMethod]
    [DataRow("yes")]
    [DataRow("")]
    public void PackedFilesReadOnlyOtherThanTrueOrFalseFailsWithOXSDK1008(string value) =>
        AssertFailsWith("OXSDK1008", $"OxidizePackedFilesReadOnly is '{value}'", new() { ["OxidizePackedFilesReadOnly"] = value });

    [TestMethod]
    [DataRow("OxidizeAllowStartupHooks", "banana")]
    [DataRow("OxidizeReadyToRun", "yes")]
    [DataRow("OxidizeZeroCopyLibraries", "off")]
    [DataRow("OxidizeAudit", "maybe")]
    [DataRow("OxidizeAuditFramework", "on")]
    [DataRow("OxidizeEnableDiagnostics", "1")]
    [DataRow("OxidizeCompressReferencedAssemblies", "yes")]
    [DataRow("OxidizeUserlandIcu", "no")]
    [DataRow("OxidizeUserlandOpenSsl", "off")]
    [DataRow("OxidizeUserlandCertificates", "0")]
    [DataRow("OxidizeUserlandTimeZones", "truee")]
    [DataRow("OxidizeAudit", "true ")]
    public void BooleanPropertyOtherThanTrueOrFalseFailsWithOXSDK1031(string property, string value)
    {
        TargetsResult result = AssertFailsWith("OXSDK1031", $"{property} is '{value}'; use true or false", new() { [property] = value });
        Assert.IsFalse(result.Errors.Any(error => error.Code == "MSB4030"), result.ToString());
    }

    [TestMethod]
    public void BooleanPropertiesAcceptTrueAndFalseInAnyCase()
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string>
        {
            ["Oxidize"] = "TRUE", ["OxidizeAllowStartupHooks"] = "True", ["OxidizeAudit"] = "FALSE",
            ["OxidizeEnableDiagnostics"] = "False", ["OxidizePackedFilesReadOnly"] = "TRUE", ["OxidizeUserlandTimeZones"] = "fAlSe",
        });
        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsEmpty(result.Errors, result.ToString());
    }

    [TestMethod]
    [DataRow("yes")]
    [DataRow("web")]
    [DataRow("")]
    [DataRow("auto ")]
    public void ReadyToRunCompositeOtherThanAutoTrueOrFalseFailsWithOXSDK1045(string value) =>
        AssertFailsWith("OXSDK1045", $"OxidizeReadyToRunComposite is '{value}'; use auto", new() { ["OxidizeReadyToRunComposite"] = value });

    [TestMethod]
    [DataRow("auto")]
    [DataRow("True")]
    [DataRow("false")]
    public void ReadyToRunCompositeAutoTrueAndFalsePass(string value)
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string> { ["OxidizeReadyToRunComposite"] = value });
        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsEmpty(result.Errors, result.ToString());
    }

    [TestMethod]
    [DataRow("OxidizeReadyToRun", "false")]
    [DataRow("PublishReadyToRun", "false")]
    [DataRow("PublishAot", "true")]
    public void ReadyToRunCompositeWithoutReadyToRunFailsWithOXSDK1046(string property, string value) =>
        AssertFailsWith("OXSDK1046", "OxidizeReadyToRunComposite=true needs ReadyToRun code",
            new() { ["OxidizeReadyToRunComposite"] = "true", [property] = value });

    [TestMethod]
    [DataRow("libcoreclr.so", "libcoreclr.so")]
    [DataRow("System.Private.CoreLib.dll", "System.Private.CoreLib.dll")]
    [DataRow("createdump;libSystem.Native.so", "libSystem.Native.so")]
    [DataRow("libclrjit.so;System.Runtime.dll", "libclrjit.so, System.Runtime.dll")]
    public void ExcludingARuntimeFileTheExecutableNeedsFailsWithOXSDK1032(string excluded, string named) =>
        AssertFailsWith("OXSDK1032", $"leaves out {named}, without which", new() { ["OxidizeExcludedRuntimeFiles"] = excluded });

    [TestMethod]
    public void ExcludingOnlyOptionalRuntimeFilesPasses()
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string> { ["OxidizeExcludedRuntimeFiles"] = "createdump;libmscordbi.so" });
        Assert.IsTrue(result.Succeeded, result.ToString());
    }

    [TestMethod]
    public void AnUnknownReportFailsWithOXSDK1017() =>
        AssertFailsWith("OXSDK1017", "OxidizeReport is 'pdf'; use html (also write obj/App.oxidize.report.html", new() { ["OxidizeReport"] = "pdf" });

    [TestMethod]
    public void AnUnknownUserlandFailsWithOXSDK4001() =>
        AssertFailsWith("OXSDK4001", "not 'alpine'", new() { ["OxidizeUserland"] = "alpine" });

    [TestMethod]
    public void BundledUserlandWithoutTheBootstrapFailsWithOXSDK4001()
    {
        string missing = Path.Combine(Oxidize.Tests.Shared.TestScratch.NewDirectory("no-bootstrap"), "oxidize-bootstrap");
        AssertFailsWith("OXSDK4001", $"which is not at '{missing}'", new() { ["OxidizeUserland"] = "bundled", ["OxidizeBootstrapPath"] = missing });
    }

    [TestMethod]
    public void BundledUserlandForLinuxArm64FailsWithOXSDK4005() =>
        AssertFailsWith("OXSDK4005", "only available for linux-x64, not 'linux-arm64'",
            new() { ["OxidizeUserland"] = "bundled", ["RuntimeIdentifier"] = "linux-arm64" });

    [TestMethod]
    public void WindowsX64PassesEveryCheck()
    {
        TargetsResult result = InProcessBuild.Run(Validation, new Dictionary<string, string> { ["RuntimeIdentifier"] = "win-x64" });
        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsEmpty(result.Errors, result.ToString());
    }

    [TestMethod]
    public void BundledUserlandForWindowsFailsWithOXSDK4006Only()
    {
        TargetsResult result = AssertFailsWith("OXSDK4006", "OxidizeUserland=bundled is for Linux, not 'win-x64'",
            new() { ["OxidizeUserland"] = "bundled", ["RuntimeIdentifier"] = "win-x64" });
        Assert.HasCount(1, result.Errors, "not also OXSDK4005 or a missing bootstrap (OXSDK4001)");
    }

    [TestMethod]
    public void PublishAotForWindowsFailsWithOXSDK1040() =>
        AssertFailsWith("OXSDK1040", "not 'win-x64': the package carries the Native AOT serving component for linux-x64 only. Publish 'win-x64' without PublishAot",
            new() { ["PublishAot"] = "true", ["RuntimeIdentifier"] = "win-x64" });

    [TestMethod]
    public void OsPackagesForWindowsFailWithOXSDK5012() =>
        AssertFailsWith("OXSDK5012", "not for RuntimeIdentifier 'win-x64'",
            new() { ["OxidizePackages"] = "deb", ["RuntimeIdentifier"] = "win-x64", ["OxidizePackageDescription"] = "An app.", ["OxidizePackageMaintainer"] = "A <a@b.c>", ["OxidizePackageLicense"] = "MIT" });

    /// <summary>For win-x64 the runtime's DLLs are the required files (the Linux names are not in its runtime pack).</summary>
    [TestMethod]
    [DataRow("coreclr.dll", "coreclr.dll")]
    [DataRow("createdump.exe;clrjit.dll", "clrjit.dll")]
    public void ExcludingAWindowsRuntimeDllTheExecutableNeedsFailsWithOXSDK1032(string excluded, string named) =>
        AssertFailsWith("OXSDK1032", $"leaves out {named}, without which",
            new() { ["OxidizeExcludedRuntimeFiles"] = excluded, ["RuntimeIdentifier"] = "win-x64" });

    [TestMethod]
    public void OsPackagesWithoutTheAuditFailWithOXSDK5007() =>
        AssertFailsWith("OXSDK5007", "OxidizePackages needs the audit", new() { ["OxidizePackages"] = "deb", ["OxidizeAudit"] = "false" });

    private static TargetsResult AssertFailsWith(string code, string messagePart, Dictionary<string, string> properties, bool publishing = true)
    {
        TargetsResult result = InProcessBuild.Run(Validation, properties, publishing: publishing);
        Assert.IsFalse(result.Succeeded, result.ToString());
        Assert.IsTrue(result.Errors.Any(error => error.Code == code && error.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"expected {code} with '{messagePart}'; {result}");
        Assert.IsTrue(result.Errors.All(error => error.Code.StartsWith("OXSDK", StringComparison.Ordinal)), result.ToString());
        return result;
    }
}
