using System.Reflection;

// The by-name twin of tests/Samples/FrameworkLoader (the startup benchmark's "plugins, DI scanning, serializers" app,
// issue 15): it resolves the same 92 public types, but from strings with Type.GetType("Type, Assembly"), so that no
// assembly but System.Runtime and System.Console is in its static reference closure and an oxidized lz4 publish
// compresses the others. Prints the same lines as FrameworkLoader.
string[] typeNames =
[
    "Microsoft.CSharp.RuntimeBinder.Binder, Microsoft.CSharp",
    "Microsoft.VisualBasic.Strings, Microsoft.VisualBasic.Core",
    "System.ComponentModel.Win32Exception, Microsoft.Win32.Primitives",
    "System.Collections.Concurrent.Partitioner, System.Collections.Concurrent",
    "System.Collections.Immutable.ImmutableArray, System.Collections.Immutable",
    "System.Collections.Queue, System.Collections.NonGeneric",
    "System.Collections.Specialized.NameValueCollection, System.Collections.Specialized",
    "System.Collections.BitArray, System.Collections",
    "System.ComponentModel.DataAnnotations.RequiredAttribute, System.ComponentModel.Annotations",
    "System.ComponentModel.AsyncOperation, System.ComponentModel.EventBasedAsync",
    "System.ComponentModel.Component, System.ComponentModel.Primitives",
    "System.ComponentModel.TypeConverter, System.ComponentModel.TypeConverter",
    "System.ComponentModel.CancelEventArgs, System.ComponentModel",
    "System.Console, System.Console",
    "System.Data.DataTable, System.Data.Common",
    "System.Diagnostics.Activity, System.Diagnostics.DiagnosticSource",
    "System.Diagnostics.FileVersionInfo, System.Diagnostics.FileVersionInfo",
    "System.Diagnostics.Process, System.Diagnostics.Process",
    "System.Diagnostics.StackTrace, System.Diagnostics.StackTrace",
    "System.Diagnostics.TextWriterTraceListener, System.Diagnostics.TextWriterTraceListener",
    "System.Diagnostics.TraceSource, System.Diagnostics.TraceSource",
    "System.Diagnostics.Tracing.EventSource, System.Diagnostics.Tracing",
    "System.Drawing.Color, System.Drawing.Primitives",
    "System.Formats.Asn1.AsnReader, System.Formats.Asn1",
    "System.Formats.Tar.TarReader, System.Formats.Tar",
    "System.IO.Compression.BrotliStream, System.IO.Compression.Brotli",
    "System.IO.Compression.ZipFile, System.IO.Compression.ZipFile",
    "System.IO.Compression.ZipArchive, System.IO.Compression",
    "System.IO.DriveInfo, System.IO.FileSystem.DriveInfo",
    "System.IO.FileSystemWatcher, System.IO.FileSystem.Watcher",
    "System.IO.IsolatedStorage.IsolatedStorageFile, System.IO.IsolatedStorage",
    "System.IO.MemoryMappedFiles.MemoryMappedFile, System.IO.MemoryMappedFiles",
    "System.IO.Pipelines.Pipe, System.IO.Pipelines",
    "System.IO.Pipes.NamedPipeClientStream, System.IO.Pipes",
    "System.Linq.AsyncEnumerable, System.Linq.AsyncEnumerable",
    "System.Linq.Expressions.Expression, System.Linq.Expressions",
    "System.Linq.ParallelEnumerable, System.Linq.Parallel",
    "System.Linq.Queryable, System.Linq.Queryable",
    "System.Linq.Enumerable, System.Linq",
    "System.MemoryExtensions, System.Memory",
    "System.Net.Http.Json.JsonContent, System.Net.Http.Json",
    "System.Net.Http.HttpClient, System.Net.Http",
    "System.Net.HttpListener, System.Net.HttpListener",
    "System.Net.Mime.ContentType, System.Net.Mail",
    "System.Net.Dns, System.Net.NameResolution",
    "System.Net.NetworkInformation.NetworkInterface, System.Net.NetworkInformation",
    "System.Net.NetworkInformation.Ping, System.Net.Ping",
    "System.Net.IPAddress, System.Net.Primitives",
    "System.Net.Quic.QuicConnection, System.Net.Quic",
    "System.Net.HttpWebRequest, System.Net.Requests",
    "System.Net.Security.SslStream, System.Net.Security",
    "System.Net.ServerSentEvents.SseParser, System.Net.ServerSentEvents",
    "System.Net.Sockets.Socket, System.Net.Sockets",
    "System.Net.WebClient, System.Net.WebClient",
    "System.Net.WebHeaderCollection, System.Net.WebHeaderCollection",
    "System.Net.WebProxy, System.Net.WebProxy",
    "System.Net.WebSockets.ClientWebSocket, System.Net.WebSockets.Client",
    "System.Net.WebSockets.WebSocket, System.Net.WebSockets",
    "System.Numerics.Vector2, System.Numerics.Vectors",
    "System.Collections.Specialized.NotifyCollectionChangedEventArgs, System.ObjectModel",
    "System.Reflection.DispatchProxy, System.Reflection.DispatchProxy",
    "System.Reflection.Emit.ILGenerator, System.Reflection.Emit.ILGeneration",
    "System.Reflection.Emit.DynamicMethod, System.Reflection.Emit.Lightweight",
    "System.Reflection.Emit.AssemblyBuilder, System.Reflection.Emit",
    "System.Reflection.Metadata.MetadataReader, System.Reflection.Metadata",
    "System.Reflection.TypeExtensions, System.Reflection.TypeExtensions",
    "System.Resources.ResourceWriter, System.Resources.Writer",
    "System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader",
    "System.Numerics.BigInteger, System.Runtime.Numerics",
    "System.Runtime.Serialization.Json.DataContractJsonSerializer, System.Runtime.Serialization.Json",
    "System.Runtime.Serialization.DataContractAttribute, System.Runtime.Serialization.Primitives",
    "System.Runtime.Serialization.DataContractSerializer, System.Runtime.Serialization.Xml",
    "System.Security.Claims.ClaimsPrincipal, System.Security.Claims",
    "System.Security.Cryptography.SHA256, System.Security.Cryptography",
    "System.Text.CodePagesEncodingProvider, System.Text.Encoding.CodePages",
    "System.Text.UTF8Encoding, System.Text.Encoding.Extensions",
    "System.Text.Encodings.Web.HtmlEncoder, System.Text.Encodings.Web",
    "System.Text.Json.JsonSerializer, System.Text.Json",
    "System.Text.RegularExpressions.Regex, System.Text.RegularExpressions",
    "System.Threading.Channels.Channel, System.Threading.Channels",
    "System.Threading.Tasks.Dataflow.DataflowBlock, System.Threading.Tasks.Dataflow",
    "System.Threading.Tasks.Parallel, System.Threading.Tasks.Parallel",
    "System.Threading.Thread, System.Threading.Thread",
    "System.Threading.ThreadPool, System.Threading.ThreadPool",
    "System.Threading.Barrier, System.Threading",
    "System.Transactions.TransactionScope, System.Transactions.Local",
    "System.Web.HttpUtility, System.Web.HttpUtility",
    "System.Xml.XmlDocument, System.Xml.ReaderWriter",
    "System.Xml.Linq.XDocument, System.Xml.XDocument",
    "System.Xml.XPath.Extensions, System.Xml.XPath.XDocument",
    "System.Xml.XPath.XPathDocument, System.Xml.XPath",
    "System.Xml.Serialization.XmlSerializer, System.Xml.XmlSerializer",
];

var touched = new HashSet<string>(StringComparer.Ordinal);
foreach (string typeName in typeNames)
{
    Type type = Type.GetType(typeName, throwOnError: true)!;
    if (type.FullName is null || type.Assembly.GetName().Name is not string name)
    {
        throw new InvalidOperationException($"{typeName} did not load");
    }
    touched.Add(name);
}
Assembly[] loaded = AppDomain.CurrentDomain.GetAssemblies();
Console.WriteLine($"types touched: {typeNames.Length}");
Console.WriteLine($"implementing assemblies: {touched.Count}");
Console.WriteLine($"assemblies loaded: {loaded.Length}");
if (args.Contains("--list"))
{
    foreach (string name in loaded.Select(assembly => assembly.GetName().Name ?? "?").Order(StringComparer.Ordinal))
    {
        Console.WriteLine(name);
    }
}
