namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The "key: value" lines tests/Samples/Robust prints (`Robust info`, `Robust children`), read back: the first value
/// of each key, and every value of repeated keys such as "fd".
/// </summary>
public sealed class AppReport
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public AppReport(string standardOutput)
    {
        foreach (string line in standardOutput.Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            string key = line[..colon];
            if (!values.TryGetValue(key, out List<string>? list))
            {
                values[key] = list = [];
            }
            list.Add(line[(colon + 2)..].TrimEnd('\r'));
        }
    }

    /// <summary>The value of the first line with this key; fails the test when there is none.</summary>
    public string this[string key]
    {
        get
        {
            Assert.IsTrue(values.TryGetValue(key, out List<string>? list), $"The app printed no '{key}: ' line.");
            return list[0];
        }
    }

    /// <summary>Every value printed for this key, in order (empty when none).</summary>
    public IReadOnlyList<string> All(string key) => values.TryGetValue(key, out List<string>? list) ? list : [];

    /// <summary>"N -> target" values (of "fd", "child fd", "own fd") as descriptor number → target.</summary>
    public IReadOnlyDictionary<int, string> Descriptors(string key) =>
        All(key).Select(value => value.Split(" -> ", 2))
            .ToDictionary(parts => int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts => parts.Length > 1 ? parts[1] : "");
}
