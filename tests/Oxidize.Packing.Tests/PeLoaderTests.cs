using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The Windows host's in-memory DLL loader (src/Oxidize.Host/pe_loader*.c, issue 20) under Wine: pe-test-host.exe
/// loads pe_test_dll.dll and, through its import, pe_test_dep.dll from buffers (src/Oxidize.Host/tests-windows) and
/// checks exports by name, ordinal and forwarder, imports served from memory, what kernel32 answers the DLL about
/// itself (GetModuleHandleEx from an address, GetModuleFileName, GetProcAddress, LoadLibrary of a packed name),
/// DllMain counts, implicit TLS on the main thread, on new threads and over 2000 threads (no heap growth, a valid
/// heap), a C++ exception through the DLL's frames, and the errors for bad images and for a DllMain that refuses
/// (pe_test_refuse.dll). ./build.sh builds the programs (make win-loader-tests) and installs Wine.
/// </summary>
[TestClass]
public sealed class PeLoaderTests
{
    private static string TestFolder => Path.Combine(RepoPaths.Root, "artifacts", "host", "win-x64-tests");

    [TestMethod]
    public void DllLoadedFromMemoryPassesEveryCheck()
    {
        string program = Path.Combine(TestFolder, "pe-test-host.exe");
        string[] dlls = ["pe_test_dll.dll", "pe_test_dep.dll", "pe_test_refuse.dll"];
        foreach (string built in dlls.Select(dll => Path.Combine(TestFolder, dll)).Prepend(program))
        {
            if (!File.Exists(built))
                Prerequisite.Missing($"{built} (make -C src/Oxidize.Host win-loader-tests, which ./build.sh runs)");
        }

        WineRun result = WineRunner.Run(program, [WineRunner.WindowsPath(TestFolder)]);

        Assert.AreEqual(0, result.ExitCode, $"pe-test-host.exe failed:{Environment.NewLine}{result}");
        // Every check ran: the count is the number of CHECKs in pe_test_host.c.
        StringAssert.Contains(result.StandardOutput, "37 passed, 0 failed", result.ToString());
        StringAssert.Contains(result.StandardOutput, "thread churn: 2000 threads", result.ToString());
    }
}
