namespace HvBench.Hyperv;

/// <summary>Synthetic MSRs (tlfs.md sections 1.4 and 6; section 9 items 4 to 6).</summary>
public sealed partial class Partition
{
    private const int PageSize = 4096;

    private readonly Lock _hypercallMsrLock = new();
    private ulong _guestOsId;
    private ulong _hypercallMsr;
    private byte[] _hypercallPageCode = [0x0F, 0x01, 0xC1, 0xC3];

    /// <summary><c>HV_X64_MSR_GUEST_OS_ID</c> as last written (partition-wide, reset 0).</summary>
    public ulong GuestOsId => Volatile.Read(ref _guestOsId);

    /// <summary>Whether a VMCALL is a hypercall: only once the guest has identified itself (a non-zero guest OS id).
    /// The TLFS asks for the id before the hypercall page is enabled and says nothing of a VMCALL made without it; KVM
    /// treats one as a #UD (<c>kvm_hv_hypercall_enabled</c>), and so does HvBench: the VMM raises #UD while this is
    /// false, whatever the route (page, direct site or xen intercept).</summary>
    public bool AcceptsHypercalls => GuestOsId != 0;

    /// <summary><c>HV_X64_MSR_HYPERCALL</c> as it reads.</summary>
    public HypercallMsrRegister HypercallMsr => new(Volatile.Read(ref _hypercallMsr));

    /// <summary>GPA of the hypercall page while <c>HV_X64_MSR_HYPERCALL</c> is enabled, else null.</summary>
    public ulong? HypercallPageGpa
    {
        get
        {
            HypercallMsrRegister msr = HypercallMsr;
            return msr.Enabled ? msr.Gpa : null;
        }
    }

    /// <summary>Bytes written at the hypercall page GPA when the guest enables the page; by default <c>vmcall; ret</c>
    /// (<c>0F 01 C1 C3</c>) as KVM writes on Intel. The VMM may replace them (1 … 4096 bytes).</summary>
    public byte[] HypercallPageCode
    {
        get => Volatile.Read(ref _hypercallPageCode);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length is 0 or > PageSize)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(value), value.Length, "The hypercall page code must be 1 … 4096 bytes.");
            }

            Volatile.Write(ref _hypercallPageCode, value);
        }
    }

    /// <summary>Reads synthetic MSR <paramref name="msr"/> on VP <paramref name="vpIndex"/>.</summary>
    /// <returns><see cref="MsrAccess.GeneralProtection"/> (and 0) for an MSR the model does not implement.</returns>
    public MsrAccess ReadMsr(int vpIndex, uint msr, out ulong value)
    {
        CheckVpIndex(vpIndex);
        SynicState synic = _vps[vpIndex];
        switch (msr)
        {
            case HvMsr.GuestOsId:
                value = Volatile.Read(ref _guestOsId);
                return MsrAccess.Ok;
            case HvMsr.Hypercall:
                value = Volatile.Read(ref _hypercallMsr);
                return MsrAccess.Ok;
            case HvMsr.VpIndex:
                value = (ulong)vpIndex;
                return MsrAccess.Ok;
            case HvMsr.Scontrol:
                value = synic.Scontrol.Raw;
                return MsrAccess.Ok;
            case HvMsr.Sversion:
                value = HvMsr.SynicVersion1;
                return MsrAccess.Ok;
            case HvMsr.Siefp:
                value = synic.Siefp.Raw;
                return MsrAccess.Ok;
            case HvMsr.Simp:
                value = synic.Simp.Raw;
                return MsrAccess.Ok;
            case HvMsr.Eom:
                // Write-only; reads return 0 (kvm-unit-tests' hyperv_synic expects that, tlfs.md section 9 item 1).
                value = 0;
                return MsrAccess.Ok;
            case >= HvMsr.Sint0 and <= HvMsr.Sint15:
                value = synic.Sint((int)(msr - HvMsr.Sint0)).Raw;
                return MsrAccess.Ok;
            default:
                value = 0;
                return Fault();
        }
    }

    /// <summary>Writes synthetic MSR <paramref name="msr"/> on VP <paramref name="vpIndex"/>.</summary>
    /// <returns><see cref="MsrAccess.GeneralProtection"/> for a read-only or unimplemented MSR or an invalid value; the
    /// register is then unchanged.</returns>
    /// <remarks>A value that sets a reserved (RsvdP) bit of SCONTROL, SIEFP, SIMP, a SINT or HV_X64_MSR_HYPERCALL is
    /// invalid: the TLFS asks the guest to write such bits back as read (0 here, as nothing else can set them), OpenVMM
    /// faults on them in HV_X64_MSR_HYPERCALL, and a #GP shows a guest its mistake where KVM would keep the bits.</remarks>
    public MsrAccess WriteMsr(int vpIndex, uint msr, ulong value)
    {
        CheckVpIndex(vpIndex);
        SynicState synic = _vps[vpIndex];
        if ((value & ReservedBitsOf(msr)) != 0)
        {
            return Fault();
        }

        switch (msr)
        {
            case HvMsr.GuestOsId:
                WriteGuestOsId(value);
                return MsrAccess.Ok;
            case HvMsr.Hypercall:
                return WriteHypercallMsr(value);
            case HvMsr.Scontrol:
                synic.SetScontrol(value);
                RescanMessageQueues(vpIndex);
                return MsrAccess.Ok;
            case HvMsr.Siefp:
                // No zeroing on enable (KVM zeroes the page): the page is ordinary guest RAM, which the VMM zeroes at
                // creation, and the TLFS says guest accesses to it behave like RAM. A GPA outside RAM is accepted
                // ("page just not accessible", tlfs.md section 6).
                synic.SetSiefp(value);
                return MsrAccess.Ok;
            case HvMsr.Simp:
                synic.SetSimp(value);
                RescanMessageQueues(vpIndex);
                return MsrAccess.Ok;
            case HvMsr.Eom:
                RescanMessageQueues(vpIndex);
                return MsrAccess.Ok;
            case >= HvMsr.Sint0 and <= HvMsr.Sint15:
                var sint = new SintRegister(value);

                // Vectors 0..15 are exceptions: #GP when unmasked. A masked one is accepted, as KVM does, so that
                // writing back the reset value 0x10000 never faults (tlfs.md section 9 item 5).
                if (!sint.Masked && sint.Vector < SintRegister.FirstValidVector)
                {
                    return Fault();
                }

                synic.SetSint((int)(msr - HvMsr.Sint0), value);
                return MsrAccess.Ok;
            default:
                // VP_INDEX (read-only, as KVM and OVMM), SVERSION (read-only), RESET, SIRBP and every other MSR of the
                // range that the model does not implement.
                return Fault();
        }
    }

    private static ulong ReservedBitsOf(uint msr) => msr switch
    {
        HvMsr.Hypercall => HypercallMsrRegister.ReservedBits,
        HvMsr.Scontrol => SynicControlRegister.ReservedBits,
        HvMsr.Siefp or HvMsr.Simp => SynicPageRegister.ReservedBits,
        >= HvMsr.Sint0 and <= HvMsr.Sint15 => SintRegister.ReservedBits,
        _ => 0,
    };

    private void WriteGuestOsId(ulong value)
    {
        lock (_hypercallMsrLock)
        {
            Volatile.Write(ref _guestOsId, value);

            // Writing 0 disables the hypercall page (TLFS "Reporting the Guest OS Identity"). KVM clears Enable this way
            // even though it has no lock bit; we do too, even when Locked: the lock protects the page's location, and
            // a guest that withdraws its identity has no business making hypercalls.
            if (value == 0)
            {
                Volatile.Write(ref _hypercallMsr, _hypercallMsr & ~HypercallMsrRegister.EnableBit);
            }
        }
    }

    private MsrAccess WriteHypercallMsr(ulong value)
    {
        lock (_hypercallMsrLock)
        {
            // Locked is sticky: later writes are ignored, without #GP, until reset (tlfs.md section 9 item 6; OVMM
            // faults instead, KVM has no lock).
            if (HypercallMsr.Locked)
            {
                return MsrAccess.Ok;
            }

            // Enabling without a guest OS id fails silently: "the enable bit will remain zero" (TLFS). The rest of the
            // value (GPFN and Locked) is stored. KVM ignores the whole write instead.
            if (_guestOsId == 0)
            {
                value &= ~HypercallMsrRegister.EnableBit;
            }

            var requested = new HypercallMsrRegister(value);

            // On enable the page gets the call stub, as KVM writes `vmcall; ret` into ordinary RAM. A page outside
            // RAM cannot hold it: #GP and no change, as the TLFS says for a GPA beyond the GPA space (KVM too).
            if (requested.Enabled && !Memory.TryWrite(requested.Gpa, HypercallPageCode))
            {
                return Fault();
            }

            Volatile.Write(ref _hypercallMsr, value);
            return MsrAccess.Ok;
        }
    }

    private MsrAccess Fault()
    {
        Interlocked.Increment(ref _msrFaults);
        return MsrAccess.GeneralProtection;
    }
}
