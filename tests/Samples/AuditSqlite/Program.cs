using System.CommandLine;
using Microsoft.Data.Sqlite;

// Runs one SQL query against an in-memory database: `AuditSqlite --query "select 1"`.
var query = new Option<string>("--query") { Description = "The SQL to run", DefaultValueFactory = _ => "select sqlite_version()" };
var root = new RootCommand("Runs a query against an in-memory SQLite database.") { query };
root.SetAction(parsed =>
{
    using var connection = new SqliteConnection("Data Source=:memory:");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = parsed.GetValue(query);
    Console.WriteLine($"result: {command.ExecuteScalar()}");
});
return root.Parse(args).Invoke();
