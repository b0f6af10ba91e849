namespace Oxidize.Packing;

/// <summary>
/// A load list: the names of the packed entries one run of an oxidized executable loaded, as its host appends them to
/// the file OXIDIZE_LOAD_LIST names (one entry name a line, each once per run; several runs may append to one file).
/// Under compression, a publish given such a list keeps exactly these entries stored instead of the static reference
/// closure (StoredEntries), so a start like the recorded ones decodes nothing while everything it did not load shrinks.
/// </summary>
public static class LoadList
{
    /// <summary>The distinct entry names of a list's text, in first-seen order. Blank lines and lines starting with '#'
    /// (comments a developer adds) are skipped; surrounding whitespace and Windows line ends are ignored.</summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            string name = line.Trim();
            if (name.Length == 0 || name.StartsWith('#'))
                continue;
            if (seen.Add(name))
                names.Add(name);
        }
        return names;
    }

    /// <summary>The names of <paramref name="names"/> that no packed resource carries: a list recorded from an older
    /// build, or for another app. They change nothing, but say the list may be stale.</summary>
    public static IReadOnlyList<string> NotPacked(IEnumerable<string> names, IEnumerable<PackedResource> resources)
    {
        var packed = new HashSet<string>(resources.Select(resource => resource.Name), StringComparer.Ordinal);
        return names.Where(name => !packed.Contains(name)).ToList();
    }
}
