// GET /hello: a constant; GET /config: "Greeting" from appsettings.json (Microsoft.Extensions.Configuration);
// GET /contentroot: where the host looks for appsettings.json and wwwroot; /static.txt: a wwwroot file;
// GET /jit-count: how many methods the JIT has compiled so far (the ReadyToRun composite's test).
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.UseStaticFiles();
app.MapGet("/hello", () => "Hello from an oxidized web app!");
app.MapGet("/config", (IConfiguration configuration) => configuration["Greeting"] ?? "<missing>");
app.MapGet("/contentroot", (IWebHostEnvironment environment) => environment.ContentRootPath);
app.MapGet("/jit-count", () => System.Runtime.JitInfo.GetCompiledMethodCount().ToString(System.Globalization.CultureInfo.InvariantCulture));

app.Run();
