using Oxidize.Audit.Managed;

namespace Oxidize.Audit.Tests;

[TestClass]
public sealed class TransitiveFindingsTests
{
    private static SingleFileFinding Finding(string owner, PackageOrigin? package) =>
        new(owner, package, [new SingleFileApiUse(owner + ".dll", "N.T.M", SingleFileApis.PathDependent[0])]);

    [TestMethod]
    public void TheProjectsOwnAssembliesAndDirectReferencesStayIndividualTheRestIsTransitive()
    {
        var own = Finding("App.dll", null);
        var direct = Finding("Microsoft.Data.SqlClient", new("Microsoft.Data.SqlClient", "6.1.1"));
        var transitive = Finding("System.Configuration.ConfigurationManager", new("System.Configuration.ConfigurationManager", "9.0.0"));

        var (individual, summarized) = TransitiveFindings.Split([own, direct, transitive], ["microsoft.data.sqlclient", "System.CommandLine"]);

        CollectionAssert.AreEqual(new[] { own, direct }, individual.ToArray(), "package ids compare case-insensitively, as NuGet's do");
        CollectionAssert.AreEqual(new[] { transitive }, summarized.ToArray());
    }
}
