namespace Oxidize.Audit;

/// <summary>
/// One file going into the executable, as the audit sees it: its entry name, where its bytes are,
/// the package it came from (null for the project's own files and project references), and
/// whether it belongs to a runtime pack (the .NET runtime or ASP.NET Core shared framework).
/// </summary>
public sealed record AuditedFile(string Name, string Path, PackageOrigin? Package, bool IsFramework);
