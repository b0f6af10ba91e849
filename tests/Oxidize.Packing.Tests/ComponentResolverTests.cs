using System.Runtime.InteropServices;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The host's answer to AssemblyDependencyResolver (src/Oxidize.Host/component_resolver.c, run through
/// component-resolver-tool) against .NET's own hostpolicy, which this test process was started with: for each
/// plugin folder both give the same assemblies, native search folders and resource folders, or fail with the
/// same status. The folders cover RID-specific assets with RID fallback, satellites, localPath, placeholders,
/// an assembly listed twice with different versions, a plugin without a .deps.json, a malformed .deps.json, one
/// with text after its JSON, and a missing plugin.
/// </summary>
[TestClass]
public sealed class ComponentResolverTests
{
    private static string Tool
    {
        get
        {
            string path = Path.Combine(RepoPaths.Root, "artifacts", "host", "component-resolver-tool");
            return File.Exists(path) ? path : throw new InvalidOperationException(
                $"{path} is missing: run make -C src/Oxidize.Host OUT=$PWD/artifacts/host.");
        }
    }

    private const string RichDeps = """
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0", "signature": "" },
          "targets": {
            ".NETCoreApp,Version=v10.0": {
              "Plugin/1.0.0": { "dependencies": { "Native.Lib": "2.0.0" }, "runtime": { "Plugin.dll": {} } },
              "Native.Lib/2.0.0": {
                "runtime": { "lib/net10.0/Native.Lib.dll": { "assemblyVersion": "2.0.0.0", "fileVersion": "2.0.1.5" } },
                "runtimeTargets": {
                  "runtimes/linux-arm64/native/libnative.so": { "rid": "linux-arm64", "assetType": "native" },
                  "runtimes/linux-x64/native/libnative.so": { "rid": "linux-x64", "assetType": "native" },
                  "runtimes/linux-musl-x64/native/libnative.so": { "rid": "linux-musl-x64", "assetType": "native" },
                  "runtimes/win-x64/native/native.dll": { "rid": "win-x64", "assetType": "native" },
                  "runtimes/unix/lib/net10.0/Unix.Only.dll": { "rid": "unix", "assetType": "runtime", "assemblyVersion": "1.0.0.0" },
                  "runtimes/win/lib/net10.0/Unix.Only.dll": { "rid": "win", "assetType": "runtime" }
                }
              },
              "Texts/3.0.0": {
                "runtime": { "lib/net10.0/Texts.dll": { "assemblyVersion": "3.0.0.0" } },
                "resources": {
                  "lib/net10.0/fr/Texts.resources.dll": { "locale": "fr" },
                  "lib/net10.0/de/Texts.resources.dll": { "locale": "de" }
                }
              },
              "Older.Texts/1.0.0": { "runtime": { "lib/net10.0/Texts.dll": { "assemblyVersion": "1.0.0.0" } } },
              "Placeholder/1.0.0": { "runtime": { "lib/net10.0/_._": {} } },
              "Local/1.0.0": { "runtime": { "lib/net10.0/Local.dll": { "localPath": "sub/Local.dll" } } },
              "Unlisted/1.0.0": { "runtime": { "lib/net10.0/Unlisted.dll": {} } },
              "WinOnly/1.0.0": {
                "runtime": { "lib/net10.0/WinOnly.dll": {} },
                "runtimeTargets": { "runtimes/win/lib/net10.0/WinOnly.dll": { "rid": "win", "assetType": "runtime" } }
              },
              "Escaped/1.0.0": { "native": { "runtimes\\linux-x64\\native\\libescaped.so": {} } }
            }
          },
          "libraries": {
            "Plugin/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
            "Native.Lib/2.0.0": { "type": "package", "serviceable": true, "sha512": "x", "path": "native.lib/2.0.0" },
            "Texts/3.0.0": { "type": "package", "serviceable": true, "sha512": "x" },
            "Older.Texts/1.0.0": { "type": "package", "serviceable": true, "sha512": "x" },
            "Placeholder/1.0.0": { "type": "package", "serviceable": true, "sha512": "x" },
            "Local/1.0.0": { "type": "package", "serviceable": true, "sha512": "x" },
            "WinOnly/1.0.0": { "type": "package", "serviceable": true, "sha512": "x" },
            "Escaped/1.0.0": { "type": "package", "serviceable": true, "sha512": "x" }
          }
        }
        """;

    [TestMethod]
    public void RidSpecificAssetsSatellitesLocalPathsAndVersionsResolveAsHostpolicyDoes()
    {
        string folder = TestScratch.NewDirectory("component-rich");
        File.WriteAllBytes(Path.Combine(folder, "Plugin.dll"), []);
        File.WriteAllText(Path.Combine(folder, "Plugin.deps.json"), RichDeps);

        Outcome ours = AssertSameAsHostpolicy(Path.Combine(folder, "Plugin.dll"));

        Assert.AreEqual(0, ours.Status);
        CollectionAssert.Contains(ours.Native, folder + "/runtimes/linux-x64/native/");
        CollectionAssert.Contains(ours.Assemblies, folder + "/runtimes/unix/lib/net10.0/Unix.Only.dll");
        CollectionAssert.Contains(ours.Resources, folder + "/");
        CollectionAssert.Contains(ours.Assemblies, folder + "/WinOnly.dll");
    }

    [TestMethod]
    public void APluginWithoutDepsJsonListsItsFolderAsHostpolicyDoes()
    {
        string folder = TestScratch.NewDirectory("component-no-deps");
        foreach (string name in new[] { "Plugin.dll", "Helper.DLL", "Tool.exe", "Helper.exe", "notes.txt", ".dll" })
            File.WriteAllBytes(Path.Combine(folder, name), []);

        Outcome ours = AssertSameAsHostpolicy(Path.Combine(folder, "Plugin.dll"));

        Assert.HasCount(3, ours.Assemblies);
        CollectionAssert.AreEqual(new[] { folder + "/" }, ours.Native);
    }

    [TestMethod]
    public void AMalformedDepsJsonAndAMissingPluginFailWithHostpolicysStatus()
    {
        string folder = TestScratch.NewDirectory("component-bad");
        File.WriteAllBytes(Path.Combine(folder, "Plugin.dll"), []);
        File.WriteAllText(Path.Combine(folder, "Plugin.deps.json"), RichDeps[..^40]);
        Assert.AreEqual(unchecked((int)0x8000808b), AssertSameAsHostpolicy(Path.Combine(folder, "Plugin.dll")).Status);

        // hostpolicy reads the first JSON value and ignores what follows it.
        File.WriteAllText(Path.Combine(folder, "Plugin.deps.json"), RichDeps + "} trailing");
        Assert.AreEqual(0, AssertSameAsHostpolicy(Path.Combine(folder, "Plugin.dll")).Status);
        Assert.AreEqual(unchecked((int)0x80008092), AssertSameAsHostpolicy(Path.Combine(folder, "Missing.dll")).Status);
    }

    private sealed record Outcome(int Status, string[] Assemblies, string[] Native, string[] Resources);

    private static Outcome AssertSameAsHostpolicy(string component)
    {
        Outcome expected = Hostpolicy(component);
        Outcome actual = Ours(component);
        Assert.AreEqual(expected.Status, actual.Status, $"status for {component}");
        CollectionAssert.AreEquivalent(expected.Assemblies, actual.Assemblies,
            $"assemblies: hostpolicy {string.Join(", ", expected.Assemblies)}; ours {string.Join(", ", actual.Assemblies)}");
        CollectionAssert.AreEqual(expected.Native, actual.Native,
            $"native: hostpolicy {string.Join(", ", expected.Native)}; ours {string.Join(", ", actual.Native)}");
        CollectionAssert.AreEqual(expected.Resources, actual.Resources,
            $"resources: hostpolicy {string.Join(", ", expected.Resources)}; ours {string.Join(", ", actual.Resources)}");
        return actual;
    }

    private static string[] Split(string? list) => (list ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);

    private static Outcome Ours(string component)
    {
        NativeTool.Result result = NativeTool.Run(Tool, component);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2)).ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");
        if (result.ExitCode != 0)
            return new Outcome(Convert.ToInt32(lines["status"], 16), [], [], []);
        return new Outcome(0, Split(lines["assemblies"]), Split(lines["native"]), Split(lines["resources"]));
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ResultCallback(nint assemblies, nint native, nint resources);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ErrorWriter(nint message);

    // The same entry points System.Private.CoreLib calls for AssemblyDependencyResolver; this process runs on
    // `dotnet`, whose hostpolicy is loaded and initialized.
    // DllImport: source-generated P/Invokes cannot marshal the callback delegate.
    [DllImport("libhostpolicy", CharSet = CharSet.Ansi)]
    private static extern int corehost_resolve_component_dependencies(string component, ResultCallback result);

    [DllImport("libhostpolicy")]
    private static extern nint corehost_set_error_writer(nint writer);

    private static Outcome Hostpolicy(string component)
    {
        string? assemblies = null, native = null, resources = null;
        ErrorWriter writer = _ => { };
        nint previous = corehost_set_error_writer(Marshal.GetFunctionPointerForDelegate(writer));
        int status;
        try
        {
            status = corehost_resolve_component_dependencies(component, (a, n, r) =>
            {
                assemblies = Marshal.PtrToStringUTF8(a);
                native = Marshal.PtrToStringUTF8(n);
                resources = Marshal.PtrToStringUTF8(r);
            });
        }
        finally
        {
            corehost_set_error_writer(previous);
            GC.KeepAlive(writer);
        }
        return status != 0 ? new Outcome(status, [], [], []) : new Outcome(0, Split(assemblies), Split(native), Split(resources));
    }
}
