namespace Oxidize.Audit;

/// <summary>The NuGet package (id and version, as NuGet resolved them) a packed file came from.</summary>
public sealed record PackageOrigin(string Id, string Version)
{
    /// <summary>"Id Version", the way the audit's messages name a package.</summary>
    public override string ToString() => $"{Id} {Version}";
}
