using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

// Each mode prints lines the tests compare between the mapped-library build, the memfd build and the normal publish.
return args.FirstOrDefault() switch
{
    "exceptions" => Exceptions(),
    "threads" => Threads(),
    "unhandled" => throw new InvalidOperationException("unhandled on purpose"),
    "wait" => Wait(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: NativeFrames exceptions|threads|unhandled|wait");
    return 2;
}

static int Exceptions()
{
    // A managed throw and catch, with the stack trace's file and line (from the embedded PDB).
    try
    {
        Thrower.Throw();
    }
    catch (ApplicationException exception)
    {
        var frame = new StackTrace(exception, fNeedFileInfo: true).GetFrame(0)!;
        Console.WriteLine($"managed: {exception.Message} at {frame.GetMethod()!.Name} line {frame.GetFileLineNumber()}");
    }
    // Hardware faults: the runtime's signal handler turns SIGSEGV and SIGFPE into managed exceptions.
    try
    {
        Console.WriteLine(Thrower.Length(null));
    }
    catch (NullReferenceException)
    {
        Console.WriteLine("null reference: caught");
    }
    try
    {
        Console.WriteLine(Thrower.Divide(1, 0));
    }
    catch (DivideByZeroException)
    {
        Console.WriteLine("divide by zero: caught");
    }
    // Raised by the runtime's native binder (C++ exceptions inside libcoreclr on the way).
    try
    {
        Assembly.Load("No.Such.Assembly");
    }
    catch (FileNotFoundException exception)
    {
        Console.WriteLine($"missing assembly: {exception.GetType().Name}");
    }
    try
    {
        Type.GetType("No.Such.Type, System.Private.CoreLib", throwOnError: true);
    }
    catch (TypeLoadException exception)
    {
        Console.WriteLine($"missing type: {exception.GetType().Name}");
    }
    // A class constructor that throws, and a reflection call that throws: runtime frames between throw and catch.
    try
    {
        Console.WriteLine(BrokenStatics.Value);
    }
    catch (TypeInitializationException exception)
    {
        Console.WriteLine($"type initializer: {exception.InnerException!.Message}");
    }
    try
    {
        typeof(Thrower).GetMethod(nameof(Thrower.Throw))!.Invoke(null, null);
    }
    catch (TargetInvocationException exception)
    {
        Console.WriteLine($"reflection: {exception.InnerException!.Message}");
    }
    // The runtime's own stack walk of this thread.
    Console.WriteLine($"stack frames: {(new StackTrace().FrameCount > 0 ? "some" : "none")}");
    return 0;
}

static int Threads()
{
    var threads = new Thread[8];
    long[] sums = new long[threads.Length];
    for (int i = 0; i < threads.Length; i++)
    {
        int index = i;
        threads[i] = new Thread(() =>
        {
            for (int j = 0; j < 100_000; j++)
            {
                PerThread.Counter++;
                sums[index] += j;
            }
            try
            {
                Thrower.Throw();
            }
            catch (ApplicationException)
            {
                sums[index] += PerThread.Counter;
            }
        });
        threads[i].Start();
    }
    foreach (var thread in threads)
        thread.Join();
    long parallel = 0;
    Parallel.For(0, 1000, i => Interlocked.Add(ref parallel, i));
    Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => GC.Collect()))).Wait();
    Console.WriteLine($"threads: {sums.Distinct().Single()} parallel: {parallel}");
    return 0;
}

static int Wait()
{
    Console.WriteLine($"pid {Environment.ProcessId}");
    Console.Out.Flush();
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

static class Thrower
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw() => throw new ApplicationException("thrown on purpose");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Length(string? text) => text!.Length;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Divide(int a, int b) => a / b;
}

static class PerThread
{
    [ThreadStatic]
    public static long Counter;
}

static class BrokenStatics
{
    public static readonly int Value = Fail();

    private static int Fail() => throw new InvalidOperationException("static constructor failed");
}
