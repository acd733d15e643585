using System.Runtime.InteropServices;

namespace HvBench.Vmm.Tests.Hostile;

/// <summary>What the host process holds: open file descriptors (/proc/self/fd), those on KVM (/dev/kvm and its
/// anon_inode:kvm-vm and kvm-vcpu), threads and resident memory (/proc/self/status), taken after a full garbage
/// collection so that finalizable handles are gone.</summary>
/// <remarks>Descriptors of the .NET runtime's own assembly files are not counted: the test host maps some (for example
/// System.Security.Cryptography.dll) a few seconds after it starts, whatever the test does.</remarks>
internal readonly record struct ProcessHealth(int FileDescriptors, int KvmFileDescriptors, int Threads, long ResidentKiB)
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
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line.AsSpan(8).Trim());
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
        }
        return new ProcessHealth(fds.Length, fds.Count(fd => fd.Contains("kvm", StringComparison.Ordinal)), threads, rss);
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
        $"{FileDescriptors} fds ({KvmFileDescriptors} on KVM), {Threads} threads, RSS {ResidentKiB / 1024.0:0.0} MiB";
}
