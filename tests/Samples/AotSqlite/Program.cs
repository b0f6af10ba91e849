using Microsoft.Data.Sqlite;

// Reads its schema from a content file at its publish path (data/schema.sql beside the executable, or packed), runs it
// against an in-memory SQLite database through libe_sqlite3.so (a NuGet native library), and prints what it finds.
string schemaPath = Path.Combine(AppContext.BaseDirectory, "data", "schema.sql");
string schema = File.ReadAllText(schemaPath);
Console.WriteLine($"schema: {schema.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines from {schemaPath}");

using var connection = new SqliteConnection("Data Source=:memory:");
connection.Open();
using (var create = connection.CreateCommand())
{
    create.CommandText = schema;
    create.ExecuteNonQuery();
}
using var query = connection.CreateCommand();
query.CommandText = "select group_concat(word, ' '), sqlite_version() from greeting order by id";
using var reader = query.ExecuteReader();
reader.Read();
Console.WriteLine($"words: {reader.GetString(0)}");
Console.WriteLine($"sqlite: {reader.GetString(1)}");
return 0;
