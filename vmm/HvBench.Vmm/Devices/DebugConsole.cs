using System.Text;

namespace HvBench.Vmm.Devices;

/// <summary>The guest's console text: bytes from port 0xE9 and the UART, kept in order for the run result
/// and handed out line by line as they arrive.</summary>
/// <remarks>The text kept for the result is capped (<see cref="DefaultMaxTextChars"/>): a guest that prints without
/// end must not exhaust the host's memory. Lines past the cap still reach the line callback; they are counted and
/// noted at the end of <see cref="Text"/>.</remarks>
public sealed class GuestConsole
{
    /// <summary>Characters of console text a run keeps (16 Mi).</summary>
    public const int DefaultMaxTextChars = 16 << 20;

    private readonly object _lock = new();
    private readonly StringBuilder _all = new();
    private readonly byte[][] _lineBuffers;
    private readonly int[] _lineLengths;
    private readonly Action<string>? _onLine;
    private readonly int _maxTextChars;
    private long _droppedChars;

    /// <summary>Creates a console for <paramref name="vpCount"/> VPs; <paramref name="onLine"/> gets each completed line;
    /// <paramref name="maxTextChars"/> caps the text kept.</summary>
    public GuestConsole(int vpCount, Action<string>? onLine, int maxTextChars = DefaultMaxTextChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTextChars);
        _lineBuffers = new byte[vpCount][];
        _lineLengths = new int[vpCount];
        for (int i = 0; i < vpCount; i++) _lineBuffers[i] = new byte[256];
        _onLine = onLine;
        _maxTextChars = maxTextChars;
    }

    /// <summary>All text written so far, up to the cap; past it, a last line says how much was dropped.</summary>
    public string Text
    {
        get
        {
            lock (_lock)
            {
                if (_droppedChars == 0) return _all.ToString();
                string separator = _all.Length == 0 || _all[^1] == '\n' ? "" : "\n";
                return $"{_all}{separator}[hvbench: {_droppedChars} more characters of console text dropped; a run keeps the first {_maxTextChars}]\n";
            }
        }
    }

    /// <summary>Characters of console text beyond the cap, not kept.</summary>
    public long DroppedChars
    {
        get { lock (_lock) return _droppedChars; }
    }

    /// <summary>Appends one byte from VP <paramref name="vpIndex"/>; lines are kept per VP so that two VPs printing
    /// at once do not interleave inside a line.</summary>
    public void Write(int vpIndex, byte value)
    {
        byte[] buffer = _lineBuffers[vpIndex];
        if (value != (byte)'\n' && _lineLengths[vpIndex] < buffer.Length)
        {
            buffer[_lineLengths[vpIndex]++] = value;
            return;
        }
        FlushLine(vpIndex, value == (byte)'\n');
        if (value != (byte)'\n') buffer[_lineLengths[vpIndex]++] = value;
    }

    /// <summary>Flushes every VP's partial line (at the end of the run).</summary>
    public void Flush()
    {
        for (int i = 0; i < _lineLengths.Length; i++)
            if (_lineLengths[i] > 0) FlushLine(i, newline: false);
    }

    private void FlushLine(int vpIndex, bool newline)
    {
        string line = Encoding.Latin1.GetString(_lineBuffers[vpIndex], 0, _lineLengths[vpIndex]).Replace("\r", "");
        _lineLengths[vpIndex] = 0;
        lock (_lock)
        {
            int needed = line.Length + (newline ? 1 : 0);
            int room = _maxTextChars - _all.Length;
            if (needed <= room)
            {
                _all.Append(line);
                if (newline) _all.Append('\n');
            }
            else
            {
                int kept = Math.Clamp(room, 0, line.Length);
                _all.Append(line, 0, kept);
                _droppedChars += needed - kept;
            }
            _onLine?.Invoke(line);
        }
    }
}

/// <summary>Port 0xE9, the debug console: each byte written is console text.</summary>
public sealed class DebugConsolePort(GuestConsole console) : IPortDevice
{
    /// <summary>The conventional port (Bochs/QEMU debugcon).</summary>
    public const ushort Port = 0xE9;

    /// <inheritdoc/>
    public void In(int vpIndex, ushort port, Span<byte> data) => data.Fill(0xE9); // Bochs: reads give 0xE9

    /// <inheritdoc/>
    public void Out(int vpIndex, ushort port, ReadOnlySpan<byte> data) => console.Write(vpIndex, data[0]);
}

/// <summary>COM1 at 0x3F8..0x3FF: a 16550 reduced to what a polling guest needs. THR writes are console
/// text, LSR reads 0x60 (THR empty, transmitter empty), IIR reads 0x01 (no interrupt pending), the other registers read what was written.</summary>
public sealed class Uart16550(GuestConsole console) : IPortDevice
{
    /// <summary>COM1's base port.</summary>
    public const ushort BasePort = 0x3F8;

    private readonly byte[] _registers = new byte[8];

    /// <inheritdoc/>
    public void In(int vpIndex, ushort port, Span<byte> data)
    {
        int register = port - BasePort;
        data.Clear();
        data[0] = register switch
        {
            5 => 0x60,               // LSR: THRE | TEMT
            0 => 0x00,               // RBR: no input
            2 => 0x01,               // IIR: bit 0 set means no interrupt pending (0 would claim one); no FIFO
            _ => _registers[register],
        };
    }

    /// <inheritdoc/>
    public void Out(int vpIndex, ushort port, ReadOnlySpan<byte> data)
    {
        int register = port - BasePort;
        bool dlab = (_registers[3] & 0x80) != 0;
        if (register == 0 && !dlab) console.Write(vpIndex, data[0]);
        else _registers[register] = data[0];
    }
}
