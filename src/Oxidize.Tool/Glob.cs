using System.Text;
using System.Text.RegularExpressions;

namespace Oxidize.Tool;

/// <summary>A glob over entry names: `*` and `?` stay inside one path segment, `**` crosses segments.</summary>
public sealed class Glob
{
    private readonly Regex _regex;

    public Glob(string pattern)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" also matches no folder at all, so "**/*.dll" matches "App.dll".
                bool slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
                regex.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
        }
        _regex = new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    public bool Matches(string name) => _regex.IsMatch(name);
}
