using System.Text.RegularExpressions;
using Oxidize.Tests.Shared;

namespace Oxidize.Sdk.Tests;

/// <summary>README's layout table names every project under src/ and nothing else, and each project says what it owns
/// in the first lines of its project file (the .csproj's opening comment, the C host's Makefile).</summary>
[TestClass]
public sealed partial class RepositoryLayoutTests
{
    [GeneratedRegex(@"^\| `src/(?<name>[^`/]+)/` \|", RegexOptions.Multiline)]
    private static partial Regex SourceRow();

    [TestMethod]
    public void ReadmeLayoutTableMatchesTheSourceFolders()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        string[] rows = [.. SourceRow().Matches(readme).Select(match => match.Groups["name"].Value).Order(StringComparer.Ordinal)];
        string[] folders = [.. Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.IsNotEmpty(folders);
        CollectionAssert.AreEqual(folders, rows,
            $"README.md's layout table lists src/{string.Join(", src/", rows)}; src/ holds {string.Join(", ", folders)}");
    }

    [TestMethod]
    public void EveryProjectFileOpensWithWhatItOwns()
    {
        foreach (string folder in Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src")))
        {
            string name = Path.GetFileName(folder);
            string csproj = Path.Combine(folder, name + ".csproj");
            string makefile = Path.Combine(folder, "Makefile");
            if (File.Exists(csproj))
            {
                // <Project ...> then a comment of at least a sentence, before any other element.
                string[] lines = File.ReadAllLines(csproj);
                Assert.StartsWith("<Project", lines[0], csproj);
                Assert.StartsWith("<!--", lines[1].Trim(), $"{csproj}: the line after <Project> should open the comment that says what it owns");
                string comment = string.Join(' ', File.ReadAllText(csproj).Split("<!--", 2)[1].Split("-->", 2)[0].Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
                Assert.IsGreaterThan(40, comment.Length, $"{csproj}: '{comment}'");
            }
            else
            {
                Assert.IsTrue(File.Exists(makefile), $"src/{name} has neither {name}.csproj nor a Makefile");
                Assert.StartsWith("# ", File.ReadLines(makefile).First(), $"{makefile} should open with a comment that says what it builds");
            }
        }
    }
}
