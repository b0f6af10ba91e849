// The static reference closure of an assembly inside a publish folder, for eng/bench/web-composite.sh:
//   dotnet run reference-closure.cs -- FOLDER ROOT_SIMPLE_NAME
// prints the file name of every assembly of FOLDER reachable from ROOT through AssemblyRef tables (ROOT included),
// one a line, sorted, through the product's own walk (src/Oxidize.Packing/StaticReferenceClosure.cs). The script
// runs it from an isolated folder and puts the `#:project` line naming Oxidize.Packing in front of this file.
// Not product code: a measuring aid.
using Oxidize.Packing;

string folder = args[0];
string[] assemblies = Directory.GetFiles(folder, "*.dll");
string root = Path.Combine(folder, args[1] + ".dll");
foreach (string file in StaticReferenceClosure.ComputeForFiles(assemblies, [root]).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal))
    Console.WriteLine(file);
