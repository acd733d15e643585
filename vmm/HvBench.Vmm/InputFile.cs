using HvBench.Kvm;

namespace HvBench.Vmm;

/// <summary>
/// Reads a file the user named (a guest image, a scenario) whole, and never more than a cap: the image loader and the
/// scenario parser share it so that neither can be made to hang or fill memory by the path it is given.
/// </summary>
public static class InputFile
{
    private const int ChunkBytes = 81920;

    /// <summary>Reads all of <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="InputFileException">Empty path, missing, a directory, not a regular file, unreadable, or too large.</exception>
    public static byte[] Read(string path, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw new InputFileException(InputFileProblem.EmptyPath, "the path is empty");

        // Checked before opening: open(2) of a FIFO waits for a writer, and a device like /dev/zero reads forever.
        HostFileKind kind = HostFile.KindOf(path);
        switch (kind)
        {
            case HostFileKind.Missing:
                throw new InputFileException(InputFileProblem.NotFound, "no such file", inner: new FileNotFoundException("no such file", path));
            case HostFileKind.Directory:
                throw new InputFileException(InputFileProblem.Directory, "it is a directory");
            case HostFileKind.Fifo or HostFileKind.CharacterDevice or HostFileKind.BlockDevice or HostFileKind.Socket:
                throw new InputFileException(InputFileProblem.NotARegularFile, $"it is {HostFile.Describe(kind)}, not a regular file");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (stream.Length > maxBytes) throw TooLarge(stream.Length, maxBytes);

            // Read to the end rather than trusting Length: files under /proc report 0 and others may grow meanwhile.
            using var buffer = new MemoryStream();
            var chunk = new byte[ChunkBytes];
            int n;
            while ((n = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw TooLarge(null, maxBytes);
                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileException(InputFileProblem.NotFound, "no such file", inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputFileException(InputFileProblem.PermissionDenied, "permission denied", inner: e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new InputFileException(InputFileProblem.Unreadable, e.Message.ReplaceLineEndings(" ").Trim(), inner: e);
        }
    }

    private static InputFileException TooLarge(long? length, int maxBytes) =>
        new(InputFileProblem.TooLarge, length is long known ? $"the file has {known} bytes, more than {maxBytes}" : $"the file has more than {maxBytes} bytes", length);
}
