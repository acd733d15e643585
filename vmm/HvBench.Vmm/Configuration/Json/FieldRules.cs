using static HvBench.Vmm.Configuration.ScenarioLimits;

namespace HvBench.Vmm.Configuration.Json;

/// <summary>
/// The one table of how each scalar field of the scenario documents is checked: integer ranges, allowed names and
/// string formats, keyed by document type and JSON name. The shape check, the error messages and the schema test
/// all read it.
/// </summary>
internal static class FieldRules
{
    private static readonly FieldRule s_text = new(FieldFormat.Text, "a string");
    private static readonly FieldRule s_vcpus = Integer(MinVcpus, MaxVcpus);
    private static readonly FieldRule s_memory = new(FieldFormat.Size, "a size such as \"64M\"");
    private static readonly FieldRule s_portId = Integer(MinPortId, MaxPortId, hex: true);
    private static readonly FieldRule s_connectionId = Integer(MinConnectionId, MaxConnectionId, hex: true);
    private static readonly FieldRule s_partitionId = Integer(1, MaxPartitions);

    private static readonly Dictionary<(Type Owner, string Name), FieldRule> s_rules = new()
    {
        [(typeof(ScenarioDocument), "$schema")] = s_text,
        [(typeof(ScenarioDocument), "vcpus")] = s_vcpus,
        [(typeof(ScenarioDocument), "memory")] = s_memory,
        [(typeof(ScenarioDocument), "timeout")] = new(FieldFormat.Duration, "a duration such as \"30s\""),
        [(typeof(HypervDocument), "convention")] = Names(ScenarioNames.Conventions, "\"tlfs\" or \"rax\""),
        [(typeof(HypervDocument), "statusProfile")] = Names(ScenarioNames.StatusProfiles, "\"tlfs\" or \"kvm-compat\""),
        [(typeof(HypervDocument), "privileges")] = Names(ScenarioNames.Privileges, "a privilege name such as \"SignalEvents\""),
        [(typeof(PortDocument), "id")] = s_portId,
        [(typeof(PortDocument), "type")] = Names(ScenarioNames.PortTypes, "\"event\" or \"message\""),
        [(typeof(PortDocument), "targetVp")] = Integer(0, AnyVp), // 0 … MaxTargetVp, or AnyVp: ScenarioBuilder.Ports
        [(typeof(PortDocument), "targetSint")] = Integer(0, SintCount - 1),
        [(typeof(PortDocument), "baseFlagNumber")] = Integer(0, FlagsPerSint - 1),
        [(typeof(PortDocument), "flagCount")] = Integer(1, FlagsPerSint),
        [(typeof(ConnectionDocument), "id")] = s_connectionId,
        [(typeof(ConnectionDocument), "port")] = s_portId,
        [(typeof(ConnectionDocument), "partition")] = s_partitionId,
        [(typeof(PartitionDocument), "id")] = s_partitionId,
        [(typeof(PartitionDocument), "vcpus")] = s_vcpus,
        [(typeof(PartitionDocument), "memory")] = s_memory,
        [(typeof(PartitionDocument), "image")] = new(FieldFormat.Path, "a file path"),
    };

    /// <summary>Every rule, for the schema test.</summary>
    public static IReadOnlyDictionary<(Type Owner, string Name), FieldRule> All => s_rules;

    /// <summary>The rule of a field, or null for fields that hold objects or arrays of objects.</summary>
    public static FieldRule? Find(Type owner, string jsonName) => s_rules.GetValueOrDefault((owner, jsonName));

    /// <summary>The rule of a field that must have one; a missing rule is a bug in this table.</summary>
    public static FieldRule Get(Type owner, string jsonName) =>
        Find(owner, jsonName) ?? throw new InvalidOperationException($"FieldRules has no rule for {owner.Name}.{jsonName}");

    private static FieldRule Integer(long min, long max, bool hex = false)
    {
        var range = new IntegerRange(min, max, hex);
        return new FieldRule(FieldFormat.Integer, $"an integer {range}") { Range = range };
    }

    private static FieldRule Names(IReadOnlyList<string> allowed, string expected) =>
        new(FieldFormat.Name, expected) { Allowed = allowed };
}
