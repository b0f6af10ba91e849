using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Loading a packed assembly by its path in the app folder works as in the publish folder (the host answers the
/// runtime's open of that path from the payload), so the audit does not warn about it (OXSDK3010). So does
/// AssemblyDependencyResolver, whose hostpolicy calls the host answers itself (a whole plugin: PluginHostTests).
/// </summary>
[TestClass]
public sealed class LoadByPathTests
{
    [TestMethod]
    public void PackedAssembliesLoadByPathAndAssemblyDependencyResolverFindsThem()
    {
        ProcessResult run = ProcessRunner.Run(PublishedRobust.ExecutablePath, ["load-by-path"], workingDirectory: "/", standardInput: "",
            timeout: TimeSpan.FromMinutes(1));

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var report = new AppReport(run.StandardOutput);
        Assert.AreEqual("Robust, a second copy: True", report["LoadFromAssemblyPath"], run.ToString());
        Assert.AreEqual("Robust, a second copy: True", report["LoadFile"], run.ToString());
        Assert.AreEqual("Robust.dll", report["AssemblyDependencyResolver"], run.ToString());
    }
}
