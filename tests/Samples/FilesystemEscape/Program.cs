// Prints each data file as the app sees it through ordinary file APIs, "<name>: <first line>", or
// "<name>: MISSING" / "<name>: FAILED ...". Exit code 0.
foreach (string name in new[] { "keep-on-disk.txt", "keep-by-metadata.txt", "packed.txt" })
{
    string path = Path.Combine(AppContext.BaseDirectory, "data", name);
    try
    {
        Console.WriteLine(File.Exists(path) ? $"{name}: {File.ReadAllText(path).Split('\n')[0]}" : $"{name}: MISSING");
    }
    catch (Exception exception)
    {
        Console.WriteLine($"{name}: FAILED {exception.GetType().Name}: {exception.Message}");
    }
}
