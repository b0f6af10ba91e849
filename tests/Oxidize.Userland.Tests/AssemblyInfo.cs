using System.Runtime.Versioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

// The resolver reads this machine's x86-64 glibc and libraries.
[assembly: SupportedOSPlatform("linux")]
