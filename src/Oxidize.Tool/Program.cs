using System.CommandLine;
using Oxidize.Tool;
using Oxidize.Tool.Commands;

// dotnet oxidize: each command is one class under Commands/; this file only wires the command line and turns every
// expected failure (ToolException) into one line on stderr and its exit code (ExitCodes, docs/errors.md).

var file = new Argument<string>("FILE") { Description = "an executable published with -p:Oxidize=true" };
Command WithFile(string name, string description, params Symbol[] more)
{
    var command = new Command(name, description) { file };
    foreach (var symbol in more)
    {
        if (symbol is Option option)
            command.Options.Add(option);
        else
            command.Arguments.Add((Argument)symbol);
    }
    return command;
}

var info = WithFile("info", "format, runtime, compression, userland, entry counts and sizes, the recorded glibc floor");
info.SetAction(result => Guarded(() => InfoCommand.Run(result.GetValue(file)!, Console.Out)));

var tree = new Option<bool>("--tree") { Description = "group by kind and package, largest first" };
var json = new Option<bool>("--json") { Description = "machine-readable JSON" };
var list = WithFile("list", "every entry with its kind, sizes, package and version", tree, json);
list.SetAction(result => Guarded(() => ListCommand.Run(result.GetValue(file)!, result.GetValue(tree), result.GetValue(json), Console.Out)));

var verify = WithFile("verify", "check the trailer, the index and every entry's SHA-256 (exit 0 only if all match)");
verify.SetAction(result => Guarded(() => VerifyCommand.Run(result.GetValue(file)!, Console.Out, Console.Error)));

var directory = new Argument<string>("DIR") { Description = "a new or empty folder; nothing is written outside it" };
var only = new Option<string>("--only") { Description = "extract only entries matching this glob (*, ?, **)" };
var extract = WithFile("extract", "write the entries' original bytes into DIR, each checked against its SHA-256", directory, only);
extract.SetAction(result => Guarded(() => ExtractCommand.Run(result.GetValue(file)!, result.GetValue(directory)!, result.GetValue(only), Console.Out)));

var oldFile = new Argument<string>("OLD") { Description = "the earlier executable" };
var newFile = new Argument<string>("NEW") { Description = "the later executable" };
var diff = new Command("diff", "entries added, removed and changed, package versions and the size delta (exit 1 if they differ)") { oldFile, newFile };
diff.SetAction(result => Guarded(() => DiffCommand.Run(result.GetValue(oldFile)!, result.GetValue(newFile)!, Console.Out)));

var bom = WithFile("bom", "print the packed CycloneDX bill of materials");
bom.SetAction(result => Guarded(() =>
{
    using var stdout = Console.OpenStandardOutput();
    return BomCommand.Run(result.GetValue(file)!, stdout);
}));

var reportOutput = new Option<string>("--output", "-o") { Description = "the HTML file to write", Required = true };
var report = WithFile("report", "write one self-contained HTML page: a zoomable size map, the audit's records, the licenses", reportOutput);
report.SetAction(result => Guarded(() => ReportCommand.Run(result.GetValue(file)!, result.GetValue(reportOutput)!, Console.Out)));

var root = new RootCommand("Look inside an executable published with Oxidize.Sdk (-p:Oxidize=true).") { info, list, verify, extract, diff, bom, report };
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"dotnet-oxidize: {error.Message}");
    Console.Error.WriteLine("Run 'dotnet oxidize --help' for usage.");
    return ExitCodes.Usage;
}
return parsed.Invoke();

static int Guarded(Func<int> command)
{
    try
    {
        return command();
    }
    catch (ToolException failure)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"dotnet-oxidize: {failure.Message}");
        return failure.ExitCode;
    }
}
