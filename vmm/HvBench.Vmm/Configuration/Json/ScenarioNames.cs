namespace HvBench.Vmm.Configuration.Json;

/// <summary>The names a scenario file uses for conventions, port types and privileges, each kept in one table.</summary>
internal static class ScenarioNames
{
    private static readonly (string Name, HypercallConvention Value)[] s_conventions =
        [("tlfs", HypercallConvention.Tlfs), ("rax", HypercallConvention.Rax)];

    private static readonly (string Name, StatusProfile Value)[] s_statusProfiles =
        [("tlfs", StatusProfile.Tlfs), ("kvm-compat", StatusProfile.KvmCompat)];

    private static readonly (string Name, PortType Value)[] s_portTypes =
        [("event", PortType.Event), ("message", PortType.Message)];

    private static readonly (string Name, PartitionPrivileges Value)[] s_privileges = PrivilegeTable();

    /// <summary>Values of <c>hyperv.convention</c>.</summary>
    public static readonly IReadOnlyList<string> Conventions = Array.ConvertAll(s_conventions, entry => entry.Name);

    /// <summary>Values of <c>hyperv.statusProfile</c> (and of <c>hvbench run --status-profile</c>).</summary>
    public static readonly IReadOnlyList<string> StatusProfiles = Array.ConvertAll(s_statusProfiles, entry => entry.Name);

    /// <summary>Values of <c>ports[].type</c>.</summary>
    public static readonly IReadOnlyList<string> PortTypes = Array.ConvertAll(s_portTypes, entry => entry.Name);

    /// <summary>Values of <c>hyperv.privileges[]</c>: the members of <see cref="PartitionPrivileges"/>, in bit order.</summary>
    public static readonly IReadOnlyList<string> Privileges = Array.ConvertAll(s_privileges, entry => entry.Name);

    public static HypercallConvention ConventionNamed(string name) => Lookup(s_conventions, name);

    public static StatusProfile StatusProfileNamed(string name) => Lookup(s_statusProfiles, name);

    public static PortType PortTypeNamed(string name) => Lookup(s_portTypes, name);

    public static PartitionPrivileges PrivilegeNamed(string name) => Lookup(s_privileges, name);

    private static T Lookup<T>((string Name, T Value)[] table, string name)
    {
        foreach ((string entryName, T value) in table)
        {
            if (entryName == name)
            {
                return value;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "not a known name");
    }

    private static (string, PartitionPrivileges)[] PrivilegeTable()
    {
        var table = new List<(string, PartitionPrivileges)>();
        foreach (PartitionPrivileges privilege in Enum.GetValues<PartitionPrivileges>())
        {
            if (privilege != PartitionPrivileges.None)
            {
                table.Add((privilege.ToString(), privilege));
            }
        }

        return [.. table];
    }
}
