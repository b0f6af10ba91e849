// The runtime looks for exactly this shape: an internal class StartupHook, no namespace, with
// "public static void Initialize()".
internal static class StartupHook
{
    public static void Initialize() => Console.WriteLine("startup hook ran");
}
