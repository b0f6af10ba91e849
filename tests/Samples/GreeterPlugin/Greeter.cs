using System.CommandLine;
using System.Globalization;
using System.Runtime.Loader;
using Microsoft.Data.Sqlite;

namespace GreeterPlugin;

/// <summary>The plugin's entry point; the host finds it by name, so no contract assembly is shared.</summary>
public static class Greeter
{
    /// <summary>A message from System.CommandLine's French satellite assembly.</summary>
    public static string[] Greet()
    {
        var lines = new List<string> { $"plugin context: {AssemblyLoadContext.GetLoadContext(typeof(Greeter).Assembly)?.Name}" };
        CultureInfo previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("fr");
            ParseResult result = new RootCommand("greeter").Parse(["--no-such-option"]);
            lines.Add($"parse error (fr): {result.Errors[0].Message}");
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
        return [.. lines];
    }

    /// <summary>
    /// A query through Microsoft.Data.Sqlite's native SQLite, from runtimes/&lt;rid&gt;/native/. (Once used, SQLitePCLRaw
    /// keeps its load context alive: it does not unload, in the normal build either.)
    /// </summary>
    public static string[] Query()
    {
        var lines = new List<string> { $"sqlite assembly context: {AssemblyLoadContext.GetLoadContext(typeof(SqliteConnection).Assembly)?.Name}" };
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "select sqlite_version() is not null, 6 * 7";
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
        lines.Add($"sqlite: version known {reader.GetBoolean(0)}, 6 * 7 = {reader.GetInt64(1)}");
        return [.. lines];
    }
}
