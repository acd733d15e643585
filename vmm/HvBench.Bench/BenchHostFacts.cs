using System.Globalization;

namespace HvBench.Bench;

/// <summary>Host facts a bench report names, read from Linux files: CPU model, kernel release, load average.</summary>
public static class BenchHostFacts
{
    /// <summary>The first <c>model name</c> of /proc/cpuinfo, or "unknown".</summary>
    public static string CpuModel(string path = "/proc/cpuinfo")
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && line[..colon].Trim() == "model name") return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "unknown";
    }

    /// <summary>The kernel release, e.g. <c>6.1.0-27-amd64</c>, or "unknown".</summary>
    public static string Kernel(string path = "/proc/sys/kernel/osrelease") => ReadTrimmed(path) ?? "unknown";

    /// <summary>The 1-minute load average, or -1 when unknown.</summary>
    public static double LoadAverage(string path = "/proc/loadavg")
    {
        string? text = ReadTrimmed(path);
        if (text is null) return -1;
        int space = text.IndexOf(' ');
        return double.TryParse(space > 0 ? text[..space] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : -1;
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
