namespace HvBench.Vmm;

/// <summary>Why <see cref="InputFile.Read"/> refused a file.</summary>
public enum InputFileProblem
{
    /// <summary>The path is empty.</summary>
    EmptyPath,
    /// <summary>Nothing at the path.</summary>
    NotFound,
    /// <summary>The path is a directory.</summary>
    Directory,
    /// <summary>A FIFO, device or socket: reading it could block or never end.</summary>
    NotARegularFile,
    /// <summary>The file may not be read.</summary>
    PermissionDenied,
    /// <summary>More bytes than the caller's cap.</summary>
    TooLarge,
    /// <summary>Any other I/O error.</summary>
    Unreadable,
}
