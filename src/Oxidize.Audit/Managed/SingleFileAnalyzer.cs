using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Oxidize.Audit.Managed;

/// <summary>
/// Finds calls to <see cref="SingleFileApis"/> in an assembly's IL with Mono.Cecil, without resolving
/// anything (so no dependency has to be found). Assemblies whose member references name none of the
/// APIs are skipped before any method body is read, which keeps the scan of a large app cheap.
/// </summary>
public static partial class SingleFileAnalyzer
{
    private static readonly HashSet<(string, string)> Interesting =
        [.. SingleFileApis.All.Select(api => (api.DeclaringType, api.Member))];

    /// <summary>The uses in one assembly, in metadata order, one per (caller, API); throws BadImageFormatException for a file that is not a readable assembly.</summary>
    public static IReadOnlyList<SingleFileApiUse> Analyze(string assemblyName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        using var module = ModuleDefinition.ReadModule(stream, new ReaderParameters(ReadingMode.Deferred) { ReadSymbols = false });
        if (!module.GetMemberReferences().Any(reference => Interesting.Contains((reference.DeclaringType.FullName, reference.Name))))
            return [];

        var uses = new List<SingleFileApiUse>();
        foreach (var type in AllTypes(module.Types))
        {
            foreach (var method in type.Methods.Where(method => method.HasBody))
            {
                var called = Calls(method.Body);
                string caller = DescribeCaller(method);
                foreach (var api in SingleFileApis.All.Where(api => called.Contains((api.DeclaringType, api.Member))))
                {
                    if (!PassesThrough(method, api))
                        Add(uses, new SingleFileApiUse(assemblyName, caller, api));
                }
            }
        }
        return uses;
    }

    /// <summary>
    /// An override of the API itself in a type derived from the API's type (System.Reflection.Context's delegating
    /// Assembly, a wrapper's Location => inner.Location): it hands the caller's question on, so the finding belongs to
    /// whoever calls the wrapper, not to the wrapper. Base types are followed only inside this module: nothing is resolved.
    /// </summary>
    private static bool PassesThrough(MethodDefinition method, SingleFileApi api)
    {
        if (!method.IsVirtual || method.Name != api.Member)
            return false;
        for (TypeReference? type = method.DeclaringType.BaseType; type is not null; type = method.Module.GetType(type.FullName)?.BaseType)
        {
            if (type.FullName == api.DeclaringType)
                return true;
        }
        return false;
    }

    private static void Add(List<SingleFileApiUse> uses, SingleFileApiUse use)
    {
        // A lambda and its enclosing method both map to the enclosing method's name; say it once.
        if (!uses.Contains(use))
            uses.Add(use);
    }

    private static HashSet<(string, string)> Calls(MethodBody body)
    {
        var called = new HashSet<(string, string)>();
        foreach (var instruction in body.Instructions)
        {
            if (instruction.Operand is MethodReference target
                && instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn
                && Interesting.Contains((target.DeclaringType.FullName, target.Name)))
                called.Add((target.DeclaringType.FullName, target.Name));
        }
        return called;
    }

    private static IEnumerable<TypeDefinition> AllTypes(IEnumerable<TypeDefinition> types)
    {
        foreach (var type in types)
        {
            yield return type;
            foreach (var nested in AllTypes(type.NestedTypes))
                yield return nested;
        }
    }

    /// <summary>
    /// The method as its author wrote it: a lambda ("&lt;Main&gt;b__0_0" in "&lt;&gt;c") or an iterator or async
    /// state machine ("&lt;LoadAsync&gt;d__3.MoveNext") is named after the method that contains it.
    /// </summary>
    public static string DescribeCaller(MethodDefinition method)
    {
        ArgumentNullException.ThrowIfNull(method);
        string name = GeneratedName().Match(method.Name) is { Success: true } lambda ? lambda.Groups["name"].Value : method.Name;
        var type = method.DeclaringType;
        while (type.IsNested && type.Name.StartsWith('<'))
        {
            if (GeneratedName().Match(type.Name) is { Success: true } stateMachine && stateMachine.Groups["name"].Length > 0)
                name = stateMachine.Groups["name"].Value;
            type = type.DeclaringType;
        }
        return $"{type.FullName.Replace('/', '.')}.{name}";
    }

    [GeneratedRegex(@"^<(?<name>[^>]*)>")]
    private static partial Regex GeneratedName();
}
