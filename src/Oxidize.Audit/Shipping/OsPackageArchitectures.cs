using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>The architecture names Debian and RPM use for a .NET runtime identifier.</summary>
public static class OsPackageArchitectures
{
    public static (string Debian, string Rpm) FromRuntimeIdentifier(string runtimeIdentifier) => runtimeIdentifier switch
    {
        "linux-x64" => ("amd64", "x86_64"),
        "linux-arm64" => ("arm64", "aarch64"),
        _ => throw new PackingException(ShippingErrorCodes.ArchitectureUnsupported,
            $"Oxidize writes packages for linux-x64 and linux-arm64, not for RuntimeIdentifier '{runtimeIdentifier}'."),
    };
}
