namespace Audit.Fixture.UsesLocation;

/// <summary>Reads its settings from Audit.Fixture.Location's data folder; calls no path-dependent API itself.</summary>
public static class Settings
{
    public static string Folder() => Audit.Fixture.Location.DataFolder.Path();
}
