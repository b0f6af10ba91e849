using System.Text.RegularExpressions;

namespace Oxidize.Packing.Tests;

/// <summary>runtime_host.c sizes its runtime property list as the payload's properties plus host_property_count, the
/// properties only the host adds; that count is written by hand, so this checks it against the properties the host
/// adds (each a list->keys[count] = "NAME" statement in build_properties). Too small a count would write past the list.</summary>
[TestClass]
public sealed partial class HostPropertyCountTests
{
    [GeneratedRegex(@"enum \{ host_property_count = (\d+) \};")]
    private static partial Regex DeclaredCount();

    [GeneratedRegex(@"list->keys\[count\] = ""([A-Z_]+)"";")]
    private static partial Regex HostProperty();

    [TestMethod]
    public void HostPropertyCountIsTheNumberOfPropertiesTheHostAdds()
    {
        string source = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Oxidize.Host", "runtime_host.c"));
        int start = source.IndexOf("static enum host_status build_properties(", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, "runtime_host.c has no build_properties");
        int end = source.IndexOf("\n}\n", start, StringComparison.Ordinal);
        string body = source[start..end];

        Match declared = DeclaredCount().Match(body);
        Assert.IsTrue(declared.Success, "build_properties declares no host_property_count");
        var added = HostProperty().Matches(body).Select(match => match.Groups[1].Value).ToList();
        Assert.IsGreaterThan(5, added.Count, "the property parser found too few properties");
        CollectionAssert.AllItemsAreUnique(added);
        Assert.AreEqual(added.Count, int.Parse(declared.Groups[1].Value), $"the host adds {string.Join(", ", added)}");
    }
}
