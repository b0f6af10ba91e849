using System.Runtime.Versioning;

[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

// The fixtures are Linux x86-64 libraries built with the machine's gcc.
[assembly: SupportedOSPlatform("linux")]
