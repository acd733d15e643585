using System.Runtime.InteropServices;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>What the host process holds: open file descriptors (/proc/self/fd), those on KVM (/dev/kvm and its
/// anon_inode:kvm-vm and kvm-vcpu), threads, resident and virtual memory (VmRSS and VmSize in /proc/self/status) and
/// memory mappings (lines of /proc/self/maps), taken after a full garbage collection so that finalizable handles are
/// gone.</summary>
/// <remarks>Descriptors of the .NET runtime's own assembly files are not counted: the test host maps some (for example
/// System.Security.Cryptography.dll) a few seconds after it starts, whatever the test does.</remarks>
internal readonly record struct ProcessHealth(int FileDescriptors, int KvmFileDescriptors, int Threads, long ResidentKiB, long VirtualKiB, int Mappings)
{
    private static readonly string s_runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();

    public static ProcessHealth Now()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        string[] fds = DescribeFileDescriptors();
        int threads = 0;
        long rss = 0;
        long virtualSize = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line.AsSpan(8).Trim());
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
            else if (line.StartsWith("VmSize:", StringComparison.Ordinal)) virtualSize = long.Parse(line.AsSpan(7).Trim().TrimEnd("kB").Trim());
        }
        int mappings = File.ReadLines("/proc/self/maps").Count();
        return new ProcessHealth(fds.Length, fds.Count(fd => fd.Contains("kvm", StringComparison.Ordinal)), threads, rss, virtualSize, mappings);
    }

    /// <summary>"fd -> target" for each open file descriptor, the runtime's assembly files left out.</summary>
    public static string[] DescribeFileDescriptors()
    {
        var described = new List<string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            string? target;
            try { target = new FileInfo(fd).LinkTarget; }
            catch (IOException) { continue; }        // the directory's own descriptor, closed by now
            if (target is not null && target.StartsWith(s_runtimeDirectory, StringComparison.Ordinal)) continue;
            described.Add($"{Path.GetFileName(fd)} -> {target}");
        }
        return [.. described];
    }

    public override string ToString() =>
        $"{FileDescriptors} fds ({KvmFileDescriptors} on KVM), {Threads} threads, RSS {ResidentKiB / 1024.0:0.0} MiB, " +
        $"VmSize {VirtualKiB / 1024.0:0.0} MiB, {Mappings} mappings";
}
