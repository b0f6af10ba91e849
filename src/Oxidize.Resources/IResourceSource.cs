namespace Oxidize.Resources;

/// <summary>Where AppResources reads from: the executable's payload, or the app directory.</summary>
internal interface IResourceSource
{
    IReadOnlyList<string> List();

    bool Exists(string name);

    Stream Open(string name);
}
