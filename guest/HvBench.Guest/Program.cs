using HvBench.Guest.Images;

// Writes every test guest image: dotnet run --project guest/HvBench.Guest -- [DIRECTORY (default: images)]
string directory = args.Length > 0 ? args[0] : "images";
foreach (string path in ImageCatalog.WriteAll(directory)) Console.WriteLine(path);
return 0;
