namespace HvBench.Vmm.Loaders;

/// <summary>An image file cannot be run; the message is one line naming the file and the problem, fit for the CLI to print as is.</summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception for a problem found in an image.</summary>
    /// <param name="sourceName">File name (or other label) of the image.</param>
    /// <param name="problem">What is wrong, as a lower-case phrase without a trailing period.</param>
    /// <param name="innerException">The I/O error behind the problem, if any.</param>
    public ImageFormatException(string sourceName, string problem, Exception? innerException = null)
        : base($"{OneLine(sourceName)}: {OneLine(problem)}", innerException)
    {
        SourceName = sourceName;
        Problem = problem;
    }

    /// <summary>File name (or other label) of the image.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    // The CLI prints Message as its one-line reason, so a file name with a newline in it must not
    // break the line.
    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        return string.Create(text.Length, text, static (dest, src) =>
        {
            for (int i = 0; i < src.Length; i++)
            {
                dest[i] = char.IsControl(src[i]) ? '?' : src[i];
            }
        });
    }
}
