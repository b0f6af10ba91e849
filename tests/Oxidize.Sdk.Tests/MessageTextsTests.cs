using System.Text.RegularExpressions;
using System.Xml.Linq;
using Oxidize.Tests.Shared;

namespace Oxidize.Sdk.Tests;

/// <summary>
/// Every OXSDK text lives in Strings.resx: the targets raise theirs through OxidizeError/OxidizeMessage by resource
/// name (no inline Error/Warning texts), every name they use has a text with a code and takes the arguments they pass,
/// and every code the sources use is a row of docs/errors.md and the other way round.
/// </summary>
[TestClass]
public sealed partial class MessageTextsTests
{
    [GeneratedRegex(@"OXSDK\d{4}")]
    private static partial Regex Code();

    [GeneratedRegex(@"^\| ?`?(?<code>OXSDK\d{4})", RegexOptions.Multiline)]
    private static partial Regex DocumentedCode();

    [GeneratedRegex(@"^\| ?`?(?<code>OXSDK\d{4})`? \| no longer raised \|", RegexOptions.Multiline)]
    private static partial Regex RetiredCode();

    [GeneratedRegex(@"<(?<task>OxidizeError|OxidizeMessage)\s+ResourceName=""(?<name>[^""]+)""(?<rest>[^>]*)/>")]
    private static partial Regex TargetsMessage();

    [GeneratedRegex(@"\{(?<index>\d+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex XmlComment();

    private static string Root => RepositoryRoot.Path;

    private static IEnumerable<string> MsBuildFiles() =>
        Directory.GetFiles(Path.Combine(Root, "build")).Concat(Directory.GetFiles(Path.Combine(Root, "sdk"))).Order(StringComparer.Ordinal);

    private static Dictionary<string, string> ResourceTexts() =>
        XDocument.Load(Path.Combine(Root, "src", "Oxidize.Sdk.Tasks", "Strings.resx")).Root!.Elements("data")
            .ToDictionary(data => (string)data.Attribute("name")!, data => (string)data.Element("value")!);

    [TestMethod]
    public void TheTargetsHaveNoInlineErrorOrWarningTexts()
    {
        foreach (string file in MsBuildFiles())
        {
            string text = XmlComment().Replace(File.ReadAllText(file), "");
            Assert.DoesNotMatchRegex(new Regex(@"<(Error|Warning)\b"), text, $"{file}: raise errors with OxidizeError (texts in Strings.resx)");
            Assert.DoesNotMatchRegex(new Regex(@"\bCode=""OXSDK"), text, $"{file}: an OXSDK code outside Strings.resx");
            Assert.DoesNotMatchRegex(Code(), text, $"{file}: an OXSDK code outside comments (its text belongs in Strings.resx)");
        }
    }

    // A task logs a code either from Strings.resx (LogErrorWithCodeFromResources(nameof(Strings.X))) or passes on a
    // library's PackingException code; it never writes one of its own.
    [TestMethod]
    public void TheTasksHaveNoInlineCodes()
    {
        string[] tasks = Directory.GetFiles(Path.Combine(Root, "src", "Oxidize.Sdk.Tasks"), "*.cs");
        Assert.IsGreaterThan(5, tasks.Length);
        foreach (string file in tasks)
        {
            // Comments may name codes; code may not.
            string code = string.Join('\n', File.ReadLines(file).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            Assert.DoesNotMatchRegex(Code(), code, $"{file}: an OXSDK code outside Strings.resx");
        }
    }

    [TestMethod]
    public void EveryMessageTheTargetsNameHasACodedTextTakingTheirArguments()
    {
        Dictionary<string, string> texts = ResourceTexts();
        int uses = 0;
        foreach (string file in MsBuildFiles())
        {
            foreach (Match use in TargetsMessage().Matches(File.ReadAllText(file)))
            {
                uses++;
                string name = use.Groups["name"].Value;
                Assert.IsTrue(texts.TryGetValue(name, out string? text), $"{file}: {name} is not in Strings.resx");
                Assert.MatchesRegex(new Regex(@"^OXSDK\d{4}: "), text, $"{name}: a text the targets raise starts with its code");
                int needed = Placeholder().Matches(text).Select(match => int.Parse(match.Groups["index"].Value) + 1).DefaultIfEmpty(0).Max();
                int given = Enumerable.Range(0, 4).Count(index => use.Groups["rest"].Value.Contains($"Argument{index}=\"", StringComparison.Ordinal));
                Assert.AreEqual(needed, given, $"{file}: {name} takes {needed} arguments ({text})");
            }
        }
        Assert.IsGreaterThan(15, uses, "the targets' errors go through OxidizeError");
    }

    [TestMethod]
    public void EveryCodedTextIsUsed()
    {
        string targets = string.Concat(MsBuildFiles().Select(File.ReadAllText));
        string tasks = string.Concat(Directory.GetFiles(Path.Combine(Root, "src", "Oxidize.Sdk.Tasks"), "*.cs").Select(File.ReadAllText));
        foreach ((string name, string text) in ResourceTexts().Where(entry => Code().IsMatch(entry.Value)))
        {
            Assert.IsTrue(targets.Contains($"ResourceName=\"{name}\"", StringComparison.Ordinal) || tasks.Contains($"Strings.{name})", StringComparison.Ordinal),
                $"Strings.resx's {name} ({text[..9]}) is used by no target or task");
        }
    }

    [TestMethod]
    public void EveryCodeTheSourcesUseIsDocumentedAndEveryDocumentedCodeIsUsed()
    {
        var used = new Dictionary<string, string>();
        IEnumerable<string> sources = Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Append(Path.Combine(Root, "src", "Oxidize.Sdk.Tasks", "Strings.resx"))
            .Concat(MsBuildFiles())
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal));
        foreach (string file in sources)
        {
            foreach (Match code in Code().Matches(File.ReadAllText(file)))
                used.TryAdd(code.Value, file);
        }
        string errors = File.ReadAllText(Path.Combine(Root, "docs", "errors.md"));
        var documented = DocumentedCode().Matches(errors).Select(match => match.Groups["code"].Value).ToHashSet();

        string[] undocumented = [.. used.Keys.Where(code => !documented.Contains(code)).Order().Select(code => $"{code} ({used[code]})")];
        Assert.IsEmpty(undocumented, "codes without a row in docs/errors.md: " + string.Join(", ", undocumented));
        // A retired code keeps its row (codes are stable: a search for an old log line still lands), marked as such.
        var retired = RetiredCode().Matches(errors).Select(match => match.Groups["code"].Value).ToHashSet();
        string[] unused = [.. documented.Where(code => !used.ContainsKey(code) && !retired.Contains(code)).Order()];
        string[] retiredButUsed = [.. retired.Where(used.ContainsKey).Order()];
        Assert.IsEmpty(retiredButUsed, "codes marked 'no longer raised' in docs/errors.md that a source still raises: " + string.Join(", ", retiredButUsed));
        Assert.IsEmpty(unused, "docs/errors.md rows no source raises: " + string.Join(", ", unused));
        Assert.IsGreaterThan(50, documented.Count);
    }
}
