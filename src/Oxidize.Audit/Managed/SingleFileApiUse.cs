namespace Oxidize.Audit.Managed;

/// <summary><paramref name="Caller"/> ("Namespace.Type.Method") in <paramref name="Assembly"/> calls <paramref name="Api"/>.</summary>
public sealed record SingleFileApiUse(string Assembly, string Caller, SingleFileApi Api);

/// <summary>
/// Every use in one package (or, for files not from a package, one assembly: <paramref name="Owner"/>
/// is then its file name): the unit of one warning and of suppression.
/// </summary>
public sealed record SingleFileFinding(string Owner, PackageOrigin? Package, IReadOnlyList<SingleFileApiUse> Uses);
