using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Oxidize.Packing.Tests;

/// <summary>The C header and FormatConstants are one table in two languages: every name and value must agree.</summary>
[TestClass]
public sealed partial class FormatConstantsAgreeTests
{
    [GeneratedRegex(@"^#define\s+OXPAK_(\w+)\s+(0x[0-9A-Fa-f]+|\d+)(?:U?LL|U)?\b", RegexOptions.Multiline)]
    private static partial Regex DefineLine();

    private static Dictionary<string, ulong> HeaderConstants()
    {
        string header = File.ReadAllText(RepoPaths.HostHeader);
        return DefineLine().Matches(header).ToDictionary(
            match => ToPascalCase(match.Groups[1].Value),
            match => match.Groups[2].Value.StartsWith("0x", StringComparison.Ordinal)
                ? ulong.Parse(match.Groups[2].Value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : ulong.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static Dictionary<string, ulong> CSharpConstants() =>
        typeof(FormatConstants).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .ToDictionary(field => field.Name, field => Convert.ToUInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture));

    private static string ToPascalCase(string upperSnake) =>
        string.Concat(upperSnake.Split('_').Select(word => word[0] + word[1..].ToLowerInvariant()));

    [TestMethod]
    public void EveryHeaderConstantHasTheSameValueInCSharp()
    {
        var header = HeaderConstants();
        var csharp = CSharpConstants();
        Assert.IsGreaterThan(40, header.Count, "the header parser found too few constants");
        foreach (var (name, value) in header)
        {
            Assert.IsTrue(csharp.ContainsKey(name), $"FormatConstants lacks {name} (OXPAK_ in oxidize_format.h)");
            Assert.AreEqual(value, csharp[name], $"{name} differs between C and C#");
        }
    }

    [TestMethod]
    public void EveryCSharpConstantIsInTheHeader()
    {
        var header = HeaderConstants();
        foreach (string name in CSharpConstants().Keys)
            Assert.IsTrue(header.ContainsKey(name), $"oxidize_format.h lacks the constant for FormatConstants.{name}");
    }

    [TestMethod]
    public void MagicNumbersSpellTheirNames()
    {
        Assert.AreEqual("OXSDKPAK", System.Text.Encoding.ASCII.GetString(BitConverter.GetBytes(FormatConstants.HeaderMagic)));
        Assert.AreEqual("OXSDKEND", System.Text.Encoding.ASCII.GetString(BitConverter.GetBytes(FormatConstants.TrailerMagic)));
    }
}
