using System.Text;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// The Unix ar format a .deb is (deb(5)): "!&lt;arch&gt;\n", then per member a 60-byte header (name, mtime, owner 0:0,
/// mode 100644, size) and the data padded to an even length with '\n'.
/// </summary>
public static class ArArchive
{
    public static void Write(Stream output, IReadOnlyList<(string Name, byte[] Content)> members, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(members);
        output.Write("!<arch>\n"u8);
        foreach (var (name, content) in members)
        {
            if (name.Length > 16)
                throw new ArgumentException($"The ar member name '{name}' is longer than 16 characters.", nameof(members));
            string header = name.PadRight(16) + Field(timestamp.ToUnixTimeSeconds(), 12) + Field(0, 6) + Field(0, 6)
                + "100644".PadRight(8) + Field(content.LongLength, 10) + "`\n";
            output.Write(Encoding.ASCII.GetBytes(header));
            output.Write(content);
            if (content.Length % 2 == 1)
                output.WriteByte((byte)'\n');
        }
    }

    private static string Field(long value, int width) => value.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(width);
}
