namespace Oxidize.Packing.Tests;

[TestClass]
public sealed class RuntimeConfigTests
{
    private const string SelfContained = """
        {
          "runtimeOptions": {
            "tfm": "net10.0",
            "includedFrameworks": [ { "name": "Microsoft.NETCore.App", "version": "10.0.12" } ],
            "configProperties": {
              "System.GC.Server": true,
              "System.Globalization.Invariant": false,
              "System.Threading.ThreadPool.MinThreads": 4,
              "Custom.Text": "hello"
            }
          }
        }
        """;

    [TestMethod]
    public void ConfigPropertiesBecomeRuntimePropertiesInOrder()
    {
        var config = RuntimeConfig.Parse(SelfContained);
        CollectionAssert.AreEqual(
            new[] { "System.GC.Server=true", "System.Globalization.Invariant=false", "System.Threading.ThreadPool.MinThreads=4", "Custom.Text=hello" },
            config.Properties.Select(p => $"{p.Key}={p.Value}").ToArray());
    }

    [TestMethod]
    public void IncludedFrameworkNamesTheRuntimeVersion()
    {
        Assert.AreEqual("10.0.12", RuntimeConfig.Parse(SelfContained).RuntimeVersion);
        Assert.AreEqual(10, RuntimeConfig.MajorVersion("10.0.12"));
    }

    [TestMethod]
    public void FrameworkDependentConfigHasNoIncludedRuntime()
    {
        var config = RuntimeConfig.Parse("""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" } } }""");
        Assert.IsNull(config.RuntimeVersion);
        Assert.AreEqual(0, config.Properties.Count);
    }
}
