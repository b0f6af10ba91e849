using System.Reflection;

// The analogue of PyOxidizer's "import the whole standard library" test: touches one public type in each of
// 92 framework assemblies, so the runtime loads each of them (and the System.Private.* assemblies they
// forward to), then prints how many assemblies were loaded.
// The list: every assembly of the runtime pack (Microsoft.NETCore.App, net10.0) whose reference assembly defines
// a public, non-generic, non-obsolete type, one such type each (a well-known one where there is one), minus
// System.Runtime (always loaded) and the assemblies whose types are Windows-, browser- or C++/CLI-specific or
// live in System.Private.CoreLib (Microsoft.Win32.Registry, the *.AccessControl ones, System.Security.Principal.Windows,
// System.Runtime.InteropServices(.JavaScript), System.Runtime.CompilerServices.VisualC, System.Runtime.Intrinsics,
// System.Reflection.Primitives, System.Diagnostics.Contracts, System.Threading.Overlapped,
// System.Runtime.Serialization.Formatters). A pure-facade assembly (System.Xml, mscorlib, netstandard, ...) has no
// type of its own and is not listed.
Type[] types =
[
    typeof(Microsoft.CSharp.RuntimeBinder.Binder),                           // Microsoft.CSharp
    typeof(Microsoft.VisualBasic.Strings),                                   // Microsoft.VisualBasic.Core
    typeof(System.ComponentModel.Win32Exception),                            // Microsoft.Win32.Primitives
    typeof(System.Collections.Concurrent.Partitioner),                       // System.Collections.Concurrent
    typeof(System.Collections.Immutable.ImmutableArray),                     // System.Collections.Immutable
    typeof(System.Collections.Queue),                                        // System.Collections.NonGeneric
    typeof(System.Collections.Specialized.NameValueCollection),              // System.Collections.Specialized
    typeof(System.Collections.BitArray),                                     // System.Collections
    typeof(System.ComponentModel.DataAnnotations.RequiredAttribute),         // System.ComponentModel.Annotations
    typeof(System.ComponentModel.AsyncOperation),                            // System.ComponentModel.EventBasedAsync
    typeof(System.ComponentModel.Component),                                 // System.ComponentModel.Primitives
    typeof(System.ComponentModel.TypeConverter),                             // System.ComponentModel.TypeConverter
    typeof(System.ComponentModel.CancelEventArgs),                           // System.ComponentModel
    typeof(System.Console),                                                  // System.Console
    typeof(System.Data.DataTable),                                           // System.Data.Common
    typeof(System.Diagnostics.Activity),                                     // System.Diagnostics.DiagnosticSource
    typeof(System.Diagnostics.FileVersionInfo),                              // System.Diagnostics.FileVersionInfo
    typeof(System.Diagnostics.Process),                                      // System.Diagnostics.Process
    typeof(System.Diagnostics.StackTrace),                                   // System.Diagnostics.StackTrace
    typeof(System.Diagnostics.TextWriterTraceListener),                      // System.Diagnostics.TextWriterTraceListener
    typeof(System.Diagnostics.TraceSource),                                  // System.Diagnostics.TraceSource
    typeof(System.Diagnostics.Tracing.EventSource),                          // System.Diagnostics.Tracing
    typeof(System.Drawing.Color),                                            // System.Drawing.Primitives
    typeof(System.Formats.Asn1.AsnReader),                                   // System.Formats.Asn1
    typeof(System.Formats.Tar.TarReader),                                    // System.Formats.Tar
    typeof(System.IO.Compression.BrotliStream),                              // System.IO.Compression.Brotli
    typeof(System.IO.Compression.ZipFile),                                   // System.IO.Compression.ZipFile
    typeof(System.IO.Compression.ZipArchive),                                // System.IO.Compression
    typeof(System.IO.DriveInfo),                                             // System.IO.FileSystem.DriveInfo
    typeof(System.IO.FileSystemWatcher),                                     // System.IO.FileSystem.Watcher
    typeof(System.IO.IsolatedStorage.IsolatedStorageFile),                   // System.IO.IsolatedStorage
    typeof(System.IO.MemoryMappedFiles.MemoryMappedFile),                    // System.IO.MemoryMappedFiles
    typeof(System.IO.Pipelines.Pipe),                                        // System.IO.Pipelines
    typeof(System.IO.Pipes.NamedPipeClientStream),                           // System.IO.Pipes
    typeof(System.Linq.AsyncEnumerable),                                     // System.Linq.AsyncEnumerable
    typeof(System.Linq.Expressions.Expression),                              // System.Linq.Expressions
    typeof(System.Linq.ParallelEnumerable),                                  // System.Linq.Parallel
    typeof(System.Linq.Queryable),                                           // System.Linq.Queryable
    typeof(System.Linq.Enumerable),                                          // System.Linq
    typeof(System.MemoryExtensions),                                         // System.Memory
    typeof(System.Net.Http.Json.JsonContent),                                // System.Net.Http.Json
    typeof(System.Net.Http.HttpClient),                                      // System.Net.Http
    typeof(System.Net.HttpListener),                                         // System.Net.HttpListener
    typeof(System.Net.Mime.ContentType),                                     // System.Net.Mail
    typeof(System.Net.Dns),                                                  // System.Net.NameResolution
    typeof(System.Net.NetworkInformation.NetworkInterface),                  // System.Net.NetworkInformation
    typeof(System.Net.NetworkInformation.Ping),                              // System.Net.Ping
    typeof(System.Net.IPAddress),                                            // System.Net.Primitives
    typeof(System.Net.Quic.QuicConnection),                                  // System.Net.Quic
    typeof(System.Net.HttpWebRequest),                                       // System.Net.Requests
    typeof(System.Net.Security.SslStream),                                   // System.Net.Security
    typeof(System.Net.ServerSentEvents.SseParser),                           // System.Net.ServerSentEvents
    typeof(System.Net.Sockets.Socket),                                       // System.Net.Sockets
    typeof(System.Net.WebClient),                                            // System.Net.WebClient
    typeof(System.Net.WebHeaderCollection),                                  // System.Net.WebHeaderCollection
    typeof(System.Net.WebProxy),                                             // System.Net.WebProxy
    typeof(System.Net.WebSockets.ClientWebSocket),                           // System.Net.WebSockets.Client
    typeof(System.Net.WebSockets.WebSocket),                                 // System.Net.WebSockets
    typeof(System.Numerics.Vector2),                                         // System.Numerics.Vectors
    typeof(System.Collections.Specialized.NotifyCollectionChangedEventArgs), // System.ObjectModel
    typeof(System.Reflection.DispatchProxy),                                 // System.Reflection.DispatchProxy
    typeof(System.Reflection.Emit.ILGenerator),                              // System.Reflection.Emit.ILGeneration
    typeof(System.Reflection.Emit.DynamicMethod),                            // System.Reflection.Emit.Lightweight
    typeof(System.Reflection.Emit.AssemblyBuilder),                          // System.Reflection.Emit
    typeof(System.Reflection.Metadata.MetadataReader),                       // System.Reflection.Metadata
    typeof(System.Reflection.TypeExtensions),                                // System.Reflection.TypeExtensions
    typeof(System.Resources.ResourceWriter),                                 // System.Resources.Writer
    typeof(System.Runtime.Loader.AssemblyLoadContext),                       // System.Runtime.Loader
    typeof(System.Numerics.BigInteger),                                      // System.Runtime.Numerics
    typeof(System.Runtime.Serialization.Json.DataContractJsonSerializer),    // System.Runtime.Serialization.Json
    typeof(System.Runtime.Serialization.DataContractAttribute),              // System.Runtime.Serialization.Primitives
    typeof(System.Runtime.Serialization.DataContractSerializer),             // System.Runtime.Serialization.Xml
    typeof(System.Security.Claims.ClaimsPrincipal),                          // System.Security.Claims
    typeof(System.Security.Cryptography.SHA256),                             // System.Security.Cryptography
    typeof(System.Text.CodePagesEncodingProvider),                           // System.Text.Encoding.CodePages
    typeof(System.Text.UTF8Encoding),                                        // System.Text.Encoding.Extensions
    typeof(System.Text.Encodings.Web.HtmlEncoder),                           // System.Text.Encodings.Web
    typeof(System.Text.Json.JsonSerializer),                                 // System.Text.Json
    typeof(System.Text.RegularExpressions.Regex),                            // System.Text.RegularExpressions
    typeof(System.Threading.Channels.Channel),                               // System.Threading.Channels
    typeof(System.Threading.Tasks.Dataflow.DataflowBlock),                   // System.Threading.Tasks.Dataflow
    typeof(System.Threading.Tasks.Parallel),                                 // System.Threading.Tasks.Parallel
    typeof(System.Threading.Thread),                                         // System.Threading.Thread
    typeof(System.Threading.ThreadPool),                                     // System.Threading.ThreadPool
    typeof(System.Threading.Barrier),                                        // System.Threading
    typeof(System.Transactions.TransactionScope),                            // System.Transactions.Local
    typeof(System.Web.HttpUtility),                                          // System.Web.HttpUtility
    typeof(System.Xml.XmlDocument),                                          // System.Xml.ReaderWriter
    typeof(System.Xml.Linq.XDocument),                                       // System.Xml.XDocument
    typeof(System.Xml.XPath.Extensions),                                     // System.Xml.XPath.XDocument
    typeof(System.Xml.XPath.XPathDocument),                                  // System.Xml.XPath
    typeof(System.Xml.Serialization.XmlSerializer),                          // System.Xml.XmlSerializer
];

var touched = new HashSet<string>(StringComparer.Ordinal);
foreach (Type type in types)
{
    // FullName and the implementing assembly: the type is resolved through its forwarders and loaded.
    if (type.FullName is null || type.Assembly.GetName().Name is not string name)
    {
        throw new InvalidOperationException($"{type} did not load");
    }
    touched.Add(name);
}
Assembly[] loaded = AppDomain.CurrentDomain.GetAssemblies();
Console.WriteLine($"types touched: {types.Length}");
Console.WriteLine($"implementing assemblies: {touched.Count}");
Console.WriteLine($"assemblies loaded: {loaded.Length}");
if (args.Contains("--list"))
{
    foreach (string name in loaded.Select(assembly => assembly.GetName().Name ?? "?").Order(StringComparer.Ordinal))
    {
        Console.WriteLine(name);
    }
}
