using System.Text;

namespace Oxidize.Packing.Tests;

[TestClass]
public sealed class ResourceClassifierTests
{
    [TestMethod]
    public void RealManagedAssemblyIsManaged()
    {
        byte[] assembly = File.ReadAllBytes(typeof(ResourceClassifier).Assembly.Location);
        Assert.AreEqual(ResourceKind.ManagedAssembly, ResourceClassifier.Classify(assembly));
    }

    [TestMethod]
    public void RealSharedObjectIsNativeWhateverItsName()
    {
        byte[] library = File.ReadAllBytes(RepoPaths.Host);
        Assert.AreEqual(ResourceKind.NativeLibrary, ResourceClassifier.Classify(library));
    }

    [TestMethod]
    [DataRow("{ \"Logging\": {} }")]
    [DataRow("MZ but not a PE file at all")]
    [DataRow("")]
    public void EverythingElseIsContent(string text)
    {
        Assert.AreEqual(ResourceKind.Content, ResourceClassifier.Classify(Encoding.ASCII.GetBytes(text)));
    }
}
