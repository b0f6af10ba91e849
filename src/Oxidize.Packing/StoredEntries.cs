namespace Oxidize.Packing;

/// <summary>
/// Which entries stay stored whatever LZ4 would save on them. A stored assembly is mapped from the executable
/// page by page; a compressed one is decoded whole into fresh memory the first time the runtime loads it, which
/// costs far more than reading the few pages it needs. So with compression, every assembly the app can load
/// without reflection stays stored: its static reference closure (the entry assembly, the app's own assemblies,
/// and transitively everything their AssemblyRef tables name). Only assemblies outside it, which nothing loads
/// unless the app asks for them by name at run time, are compressed. Native libraries and content keep the
/// per-entry rule (compressed when LZ4 saves 10%), except the runtime's own files in EntryCompressor.AlwaysStored.
/// PayloadManifest.CompressReferencedAssemblies trades that startup back for size: only AlwaysStored then stays stored.
/// Entries the manifest names in KeptStoredNames (read at every start, such as carried ICU) stay stored either way.
/// A load list (PayloadManifest.LoadListNames: what recorded runs actually loaded) replaces the closure: exactly the
/// entries it names stay stored, so assemblies the closure reaches but no start loads are compressed too.
/// </summary>
public static class StoredEntries
{
    public static IReadOnlySet<string> For(PayloadManifest manifest)
    {
        if (manifest.Compression == Compression.None)
            return new HashSet<string>(StringComparer.Ordinal);
        var stored = new HashSet<string>(EntryCompressor.AlwaysStored, StringComparer.Ordinal);
        stored.UnionWith(manifest.KeptStoredNames);
        if (manifest.LoadListNames is { } loaded)
            stored.UnionWith(loaded);
        else if (!manifest.CompressReferencedAssemblies)
            stored.UnionWith(StaticReferenceClosure.Compute(manifest.Resources, [manifest.EntryAssemblyName, .. manifest.AppAssemblyNames]));
        return stored;
    }
}
