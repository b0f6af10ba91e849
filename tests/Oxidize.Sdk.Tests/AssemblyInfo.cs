using Microsoft.VisualStudio.TestTools.UnitTesting;

// One in-process MSBuild at a time: its build manager is shared by the process.
[assembly: DoNotParallelize]
