namespace Oxidize.Packing.Tests;

[TestClass]
public sealed class WriterDeterminismTests
{
    [TestMethod]
    public void SameInputsGiveIdenticalExecutables()
    {
        CollectionAssert.AreEqual(SampleManifests.Executable(SampleManifests.Small()), SampleManifests.Executable(SampleManifests.Small()));
    }

    [TestMethod]
    public void InputOrderDoesNotMatter()
    {
        var manifest = SampleManifests.Small();
        var reversed = new PayloadManifest
        {
            RuntimeVersion = manifest.RuntimeVersion,
            RuntimeIdentifier = manifest.RuntimeIdentifier,
            EntryAssemblyName = manifest.EntryAssemblyName,
            Properties = manifest.Properties,
            Resources = manifest.Resources.Reverse().ToList(),
        };
        CollectionAssert.AreEqual(SampleManifests.Executable(manifest), SampleManifests.Executable(reversed));
    }

    [TestMethod]
    public void ChangingOneContentByteChangesTheOutput()
    {
        var changed = SampleManifests.Small();
        changed.Resources[2].Content[0] ^= 1;
        CollectionAssert.AreNotEqual(SampleManifests.Executable(SampleManifests.Small()), SampleManifests.Executable(changed));
    }
}
