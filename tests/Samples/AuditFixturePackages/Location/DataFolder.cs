namespace Audit.Fixture.Location;

/// <summary>Where the package expects its data files: next to its assembly, which is no file in a single executable.</summary>
public static class DataFolder
{
    public static string Path() => System.IO.Path.GetDirectoryName(typeof(DataFolder).Assembly.Location) ?? "";
}
