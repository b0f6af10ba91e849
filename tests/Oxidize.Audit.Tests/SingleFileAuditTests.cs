using Oxidize.Audit.Managed;

namespace Oxidize.Audit.Tests;

/// <summary>The single-file analysis on this assembly's own SingleFileFixtures namespace, and its grouping per package.</summary>
[TestClass]
public sealed class SingleFileAuditTests
{
    private const string Fixtures = "Oxidize.Audit.Tests.SingleFileFixtures.";
    private static readonly Lazy<byte[]> ThisAssembly = new(() => File.ReadAllBytes(typeof(SingleFileAuditTests).Assembly.Location));

    private static List<SingleFileApiUse> Uses() =>
        [.. SingleFileAnalyzer.Analyze("Oxidize.Audit.Tests.dll", ThisAssembly.Value).Where(use => use.Caller.StartsWith(Fixtures, StringComparison.Ordinal))];

    private static string[] ApisCalledBy(string caller) =>
        [.. Uses().Where(use => use.Caller == Fixtures + caller).Select(use => use.Api.DisplayName).Order(StringComparer.Ordinal)];

    [TestMethod]
    public void FindsEveryDocumentedPathDependentApi()
    {
        CollectionAssert.AreEqual(new[] { "Assembly.Location" }, ApisCalledBy("DataFiles.Folder"));
        CollectionAssert.AreEqual(new[] { "Assembly.CodeBase", "AssemblyName.CodeBase" }, ApisCalledBy("DataFiles.CodeBase"));
        CollectionAssert.AreEqual(new[] { "Module.FullyQualifiedName", "Module.Name" }, ApisCalledBy("DataFiles.ModuleName"));
        CollectionAssert.AreEqual(new[] { "Marshal.GetHINSTANCE" }, ApisCalledBy("DataFiles.Instance"));
        CollectionAssert.AreEqual(new[] { "Assembly.GetFiles" }, ApisCalledBy("DataFiles.Files"));
    }

    [TestMethod]
    public void LambdasAndStateMachinesAreNamedAfterTheMethodTheAuthorWrote()
    {
        CollectionAssert.AreEqual(new[] { "Assembly.Location" }, ApisCalledBy("Lambdas.Locate"));
        CollectionAssert.AreEqual(new[] { "Assembly.Location" }, ApisCalledBy("Lambdas.LocateAsync"));
        Assert.IsFalse(Uses().Any(use => use.Caller.Contains('<') || use.Caller.EndsWith("MoveNext", StringComparison.Ordinal)),
            string.Join("; ", Uses().Select(use => use.Caller)));
    }

    [TestMethod]
    public void LoadingByPathAndAssemblyDependencyResolverAreNotFlagged()
    {
        Assert.IsEmpty(ApisCalledBy("Plugins.LoadNextToApp"), "packed assemblies load by path (LoadByPathTests)");
        Assert.IsEmpty(ApisCalledBy("Plugins.LoadThroughContext"));
        Assert.IsEmpty(ApisCalledBy("Plugins.ResolveDependencies"), "the host answers hostpolicy's calls (PluginHostTests)");
    }

    [TestMethod]
    public void AnOverrideThatHandsTheCallOnIsNotFlaggedButOtherCallsInTheSameTypeAre()
    {
        Assert.IsEmpty(ApisCalledBy("PassThroughAssembly.get_Location"));
        Assert.IsEmpty(ApisCalledBy("PassThroughAssembly.GetFiles"));
        CollectionAssert.AreEqual(new[] { "Assembly.Location" }, ApisCalledBy("PassThroughAssembly.LocationOfInner"));
    }

    [TestMethod]
    public void AssemblyWithoutAnyOfTheApisHasNoUses()
    {
        byte[] packing = File.ReadAllBytes(typeof(Oxidize.Packing.ResourceName).Assembly.Location);

        Assert.IsEmpty(SingleFileAnalyzer.Analyze("Oxidize.Packing.dll", packing));
    }

    [TestMethod]
    public void OneFindingPerPackageAndSuppressionByPackageIdOrAssemblyName()
    {
        var package = new PackageOrigin("Fixture.Location", "1.0.3");
        ManagedAssembly[] assemblies =
        [
            new("Fixture.Location.dll", package, ThisAssembly.Value),
            new("de/Fixture.Location.resources.dll", package, ThisAssembly.Value),
            new("App.dll", null, ThisAssembly.Value),
            new("Clean.dll", new PackageOrigin("Clean", "1.0.0"), File.ReadAllBytes(typeof(Oxidize.Packing.ResourceName).Assembly.Location)),
        ];

        var (findings, unreadable) = SingleFileAudit.Analyze(assemblies, new HashSet<string>());

        Assert.IsEmpty(unreadable);
        CollectionAssert.AreEqual(new[] { "App.dll", "Fixture.Location" }, findings.Select(finding => finding.Owner).ToArray());
        Assert.AreEqual(package, findings[1].Package);
        Assert.IsNull(findings[0].Package);
        CollectionAssert.AreEquivalent(new[] { "Fixture.Location.dll", "Fixture.Location.resources.dll" }, findings[1].Uses.Select(use => use.Assembly).Distinct().ToArray());

        Assert.HasCount(1, SingleFileAudit.Analyze(assemblies, new HashSet<string> { "fixture.location" }).Findings, "package ids are case-insensitive");
        Assert.HasCount(1, SingleFileAudit.Analyze(assemblies, new HashSet<string> { "App" }).Findings, "an assembly of the project by name");
    }

    [TestMethod]
    public void UnreadableAssemblyIsReportedNotThrown()
    {
        var (findings, unreadable) = SingleFileAudit.Analyze([new ManagedAssembly("Broken.dll", null, [0x4D, 0x5A, 1, 2, 3])], new HashSet<string>());

        Assert.IsEmpty(findings);
        Assert.AreEqual("Broken.dll", unreadable.Single().Name);
    }
}
