namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// tests/Samples/Hello published once per test run (artifacts/e2e/PublishedHello) and shared by the tests
/// that only look at or run the result: a publish takes longer than all of those tests together.
/// </summary>
public static class PublishedHello
{
    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Published = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(PublishedHello));
        return (sample, sample.Publish());
    });

    public static SampleProject Sample => Published.Value.Sample;

    public static ProcessResult PublishResult => Published.Value.Publish;

    /// <summary>The executable, after asserting that the publish succeeded (with its output otherwise).</summary>
    public static string ExecutablePath
    {
        get
        {
            Assert.AreEqual(0, PublishResult.ExitCode, $"Publishing the Hello sample failed:{PublishResult}");
            Assert.IsTrue(File.Exists(Sample.ExecutablePath), $"The publish did not produce {Sample.ExecutablePath}:{PublishResult}");
            return Sample.ExecutablePath;
        }
    }
}
