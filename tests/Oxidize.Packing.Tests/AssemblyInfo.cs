using System.Runtime.Versioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]

// The host and the inspection tool are Linux x86-64 programs; so is everything these tests run.
[assembly: SupportedOSPlatform("linux")]
