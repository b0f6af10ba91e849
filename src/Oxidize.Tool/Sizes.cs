using System.Globalization;

namespace Oxidize.Tool;

/// <summary>Byte counts as people read them.</summary>
public static class Sizes
{
    public static string Human(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Signed(long bytes) => (bytes > 0 ? "+" : bytes < 0 ? "-" : "±") + Human(Math.Abs(bytes));
}
