namespace Oxidize.Tool.Contents;

/// <summary>Where an entry came from: a NuGet package, the runtime pack, a Debian package (bundled userland), the app
/// itself or Oxidize.Sdk.</summary>
/// <param name="Source">nuget, runtime, deb, app or oxidize.</param>
public sealed record PackageOwner(string Name, string Version, string Source)
{
    public string Label => Version.Length > 0 ? $"{Name} {Version}" : Name;
}
