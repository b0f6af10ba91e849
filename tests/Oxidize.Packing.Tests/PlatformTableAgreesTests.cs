using System.Text.RegularExpressions;
using Oxidize.Packing.Elf;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The host's platform files (src/Oxidize.Host/platform_&lt;arch&gt;.h), TargetMachine (what the audit holds files to) and
/// the RIDs the SDK accepts (build/Oxidize.Sdk.targets) describe the same architectures with the same ELF machine; the
/// SDK's other RIDs are WindowsTargetMachine's (PE).
/// </summary>
[TestClass]
public sealed partial class PlatformTableAgreesTests
{
    [GeneratedRegex(@"^#define\s+OXIDIZE_ELF_MACHINE\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex ElfMachineLine();

    [GeneratedRegex(@"^#define\s+OXIDIZE_ARCHITECTURE_NAME\s+""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex ArchitectureNameLine();

    [GeneratedRegex(@"<_OxidizeSupportedRuntimeIdentifiers>([^<]+)</_OxidizeSupportedRuntimeIdentifiers>")]
    private static partial Regex SupportedRuntimeIdentifiers();

    [TestMethod]
    [DataRow("linux-x64", "platform_x86_64.h", "start_x86_64.S")]
    [DataRow("linux-arm64", "platform_aarch64.h", "start_aarch64.S")]
    public void EachRuntimeIdentifierHasAHostPlatformWithTheSameMachine(string runtimeIdentifier, string platformFile, string entryStub)
    {
        string folder = Path.Combine(RepoPaths.Root, "src", "Oxidize.Host");
        string platform = File.ReadAllText(Path.Combine(folder, platformFile));
        Assert.IsTrue(File.Exists(Path.Combine(folder, entryStub)), $"{entryStub} is missing");
        ElfMachine? machine = TargetMachine.ForRuntimeIdentifier(runtimeIdentifier);

        Assert.IsNotNull(machine, $"TargetMachine does not know {runtimeIdentifier}");
        Assert.AreEqual((int)machine.Value, int.Parse(ElfMachineLine().Match(platform).Groups[1].Value), $"{platformFile} and TargetMachine disagree on e_machine");
        Assert.AreEqual(TargetMachine.Name(machine.Value), ArchitectureNameLine().Match(platform).Groups[1].Value, $"{platformFile} and TargetMachine name the architecture differently");
    }

    [TestMethod]
    public void TheSdkAcceptsExactlyTheRuntimeIdentifiersTargetMachineKnows()
    {
        string targets = File.ReadAllText(Path.Combine(RepoPaths.Root, "build", "Oxidize.Sdk.targets"));
        string[] accepted = SupportedRuntimeIdentifiers().Match(targets).Groups[1].Value.Split(';');

        CollectionAssert.AreEqual(TargetMachine.RuntimeIdentifiers.Concat(WindowsTargetMachine.RuntimeIdentifiers).ToArray(), accepted);
        Assert.IsNull(TargetMachine.ForRuntimeIdentifier("linux-musl-x64"));
        Assert.IsNull(TargetMachine.ForRuntimeIdentifier("win-x64"), "a Windows RID has no ELF machine");
        Assert.AreEqual(System.Reflection.PortableExecutable.Machine.Amd64, WindowsTargetMachine.ForRuntimeIdentifier("win-x64"));
        Assert.IsTrue(WindowsTargetMachine.RuntimeIdentifiers.All(rid => NativeFormats.ForRuntimeIdentifier(rid) == NativeFormat.Pe));
    }
}
