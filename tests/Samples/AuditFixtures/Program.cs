Console.WriteLine($"data folder: '{Audit.Fixture.Location.DataFolder.Path()}'");
