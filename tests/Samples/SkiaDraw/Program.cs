using System.Security.Cryptography;
using SkiaSharp;

// Draws a fixed picture (shapes only: text would depend on the machine's fonts) and writes it as PNG to the path given,
// then prints the PNG's SHA-256, so a test can compare the oxidized app with the normal build byte for byte.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SkiaDraw OUTPUT.png");
    return 2;
}

using var bitmap = new SKBitmap(new SKImageInfo(96, 64, SKColorType.Rgba8888, SKAlphaType.Premul));
using (var canvas = new SKCanvas(bitmap))
{
    canvas.Clear(new SKColor(0x20, 0x30, 0x40));
    using var fill = new SKPaint { Color = new SKColor(0xE0, 0x60, 0x20), IsAntialias = true };
    canvas.DrawCircle(32, 32, 20, fill);
    using var stroke = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
    canvas.DrawRect(new SKRect(56, 12, 88, 52), stroke);
}
using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
byte[] bytes = png.ToArray();
File.WriteAllBytes(args[0], bytes);
Console.WriteLine($"png sha256: {Convert.ToHexString(SHA256.HashData(bytes))}");
Console.WriteLine($"png bytes: {bytes.Length}");
return 0;
