// Prints the length of data/large.bin and the byte at each offset given (negative: from the end), one per line,
// reading it the way an app reads its content files: by path, beside the executable.
string path = Path.Combine(AppContext.BaseDirectory, "data", "large.bin");
using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
Console.WriteLine($"length {stream.Length}");
foreach (string argument in args)
{
    long offset = long.Parse(argument);
    stream.Seek(offset, offset < 0 ? SeekOrigin.End : SeekOrigin.Begin);
    Console.WriteLine($"{argument}: {stream.ReadByte()}");
}
