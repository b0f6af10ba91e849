using System.Globalization;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// ReadyToRun is on by default under Oxidize (PublishReadyToRun defaults to true): the packed assemblies of the app and
/// of its NuGet libraries carry crossgen2's native code, the runtime uses it (fewer methods go through the JIT), and
/// either OxidizeReadyToRun=false or the standard PublishReadyToRun=false gives IL-only assemblies again.
/// </summary>
[TestClass]
public sealed partial class ReadyToRunPublishTests
{
    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> PublishedHelloWithoutReadyToRun = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ReadyToRunPublishTests) + "Off");
        return (sample, sample.Publish("-p:OxidizeReadyToRun=false"));
    });

    [TestMethod]
    public void DefaultPublishPacksReadyToRunCodeThatTheRuntimeUses()
    {
        string readyToRun = PublishedHello.ExecutablePath;
        (SampleProject off, ProcessResult offPublish) = PublishedHelloWithoutReadyToRun.Value;
        Assert.AreEqual(0, offPublish.ExitCode, $"The OxidizeReadyToRun=false publish failed:{offPublish}");

        Assert.IsTrue(HasReadyToRunCode(PackedAssembly(readyToRun, "Hello.dll")), "The default publish packed an IL-only Hello.dll.");
        Assert.IsFalse(HasReadyToRunCode(PackedAssembly(off.ExecutablePath, "Hello.dll")), "OxidizeReadyToRun=false packed ReadyToRun code.");

        // The precompiled code is what runs: Main, the top-level statements' helpers and the string formatting the app
        // does need no JIT, so far fewer methods are jitted than in the IL-only app doing the same.
        int jittedWithReadyToRun = MethodsJitted(readyToRun);
        int jittedWithoutReadyToRun = MethodsJitted(off.ExecutablePath);
        Assert.IsLessThan(jittedWithoutReadyToRun, jittedWithReadyToRun,
            $"The ReadyToRun app jitted {jittedWithReadyToRun} methods, the IL-only one {jittedWithoutReadyToRun}.");
        HelloRun.AssertRuns(readyToRun);
    }

    [TestMethod]
    public void NuGetLibrariesArePackedReadyToRunByDefault()
    {
        string executable = PublishedRealApp.ExecutablePath;
        foreach (string assembly in new[] { "RealApp.dll", "System.CommandLine.dll", "Microsoft.Data.Sqlite.dll" })
        {
            Assert.IsTrue(HasReadyToRunCode(PackedAssembly(executable, assembly)), $"The default publish packed an IL-only {assembly}.");
        }
    }

    [TestMethod]
    public void PublishReadyToRunFalseTurnsTheDefaultOff()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(PublishReadyToRunFalseTurnsTheDefaultOff));

        ProcessResult publish = sample.Publish("-p:PublishReadyToRun=false");

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsFalse(HasReadyToRunCode(PackedAssembly(sample.ExecutablePath, "Hello.dll")), "PublishReadyToRun=false packed ReadyToRun code.");
        HelloRun.AssertRuns(sample.ExecutablePath);
    }

    /// <summary>OxidizeReadyToRunComposite's default (auto) composes ASP.NET Core apps (WebApiTests) and apps that ship
    /// IL-only libraries (RealApp: its NuGet libraries go into RealApp.r2r.dll), not an app without any (Hello); true
    /// composes any app: Hello.dll with System.Private.CoreLib and the other core generic assemblies in one image, which runs.</summary>
    [TestMethod]
    public void CompositeIsForAppsWithLibrariesByDefaultAndForAnyAppWhenAskedFor()
    {
        Assert.IsFalse(PackedExecutable.Entries(PublishedHello.ExecutablePath).ContainsKey("Hello.r2r.dll"),
            "The default publish of a console app without libraries packed a composite image.");
        IReadOnlyDictionary<string, PackedEntry> realApp = PackedExecutable.Entries(PublishedRealApp.ExecutablePath);
        Assert.IsTrue(realApp.ContainsKey("RealApp.r2r.dll"), $"The default publish of an app with NuGet libraries packed no composite image: {string.Join(", ", realApp.Keys.Order())}");
        string composite = System.Text.Encoding.UTF8.GetString(PackedAssembly(PublishedRealApp.ExecutablePath, "RealApp.r2r.dll"));
        foreach (string component in new[] { "RealApp", "System.CommandLine", "Microsoft.Data.Sqlite", "System.Private.CoreLib" })
            Assert.Contains(component, composite, $"{component} is not a component of RealApp.r2r.dll");
        SampleProject sample = SampleProject.Create("Hello", nameof(CompositeIsForAppsWithLibrariesByDefaultAndForAnyAppWhenAskedFor));

        ProcessResult publish = sample.Publish("-p:OxidizeReadyToRunComposite=true");

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(sample.ExecutablePath);
        Assert.IsTrue(entries.ContainsKey("Hello.r2r.dll"), $"No composite image packed: {string.Join(", ", entries.Keys.Order())}");
        HelloRun.AssertRuns(sample.ExecutablePath);
    }

    /// <summary>crossgen2's outputs are incremental on the IL alone: a per-assembly ReadyToRun publish after a composite one
    /// in the same project must not pack the composite's component stubs (Hello.dll pointing into Hello.r2r.dll), which
    /// abort the runtime with no message. Also shows that an explicit composite publish runs oxidized.</summary>
    [TestMethod]
    public void DefaultPublishAfterACompositePublishRecompilesAndRuns()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(DefaultPublishAfterACompositePublishRecompilesAndRuns));
        ProcessResult composite = sample.Publish("-p:PublishReadyToRunComposite=true");
        Assert.AreEqual(0, composite.ExitCode, $"The composite publish failed:{composite}");
        HelloRun.AssertRuns(sample.ExecutablePath);

        ProcessResult publish = sample.Publish();

        Assert.AreEqual(0, publish.ExitCode, $"The default publish failed:{publish}");
        HelloRun.AssertRuns(sample.ExecutablePath);
        Assert.IsTrue(HasReadyToRunCode(PackedAssembly(sample.ExecutablePath, "Hello.dll")), "The default publish packed an IL-only Hello.dll.");
    }

    /// <summary>A ReadyToRun image: not IL-only, and its CLI header points at a ReadyToRun header (ManagedNativeHeader).</summary>
    internal static bool HasReadyToRunCode(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        CorHeader cor = pe.PEHeaders.CorHeader ?? throw new AssertFailedException("The packed file is not a managed assembly.");
        return cor.ManagedNativeHeaderDirectory.Size != 0 && (cor.Flags & CorFlags.ILOnly) == 0;
    }

    internal static byte[] PackedAssembly(string executable, string name) => PackedExecutable.ReadEntry(executable, name);

    private static int MethodsJitted(string executable)
    {
        ProcessResult run = ProcessRunner.Run(executable, ["--jit-count"], workingDirectory: "/", timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Match count = JitCount().Match(run.StandardOutput);
        Assert.IsTrue(count.Success, $"No 'methods jitted:' line:{run}");
        return int.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"methods jitted: (\d+)")]
    private static partial Regex JitCount();
}
