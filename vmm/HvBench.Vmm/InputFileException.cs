namespace HvBench.Vmm;

/// <summary>An input file <see cref="InputFile.Read"/> refused. <see cref="Exception.Message"/> is one line without the
/// path, worded to follow "cannot read the file: " (<c>it is a directory</c>); callers add the path and their own words.</summary>
public sealed class InputFileException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public InputFileException(InputFileProblem problem, string message, long? length = null, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        Length = length;
    }

    /// <summary>What is wrong.</summary>
    public InputFileProblem Problem { get; }

    /// <summary>For <see cref="InputFileProblem.TooLarge"/>: the file's size in bytes when known, else null (it grew while being read).</summary>
    public long? Length { get; }
}
