namespace HvBench.Vmm.Configuration.Json;

/// <summary>
/// Turns a shape-checked <see cref="ScenarioDocument"/> into a <see cref="Scenario"/>, checking what the shape check
/// cannot: sizes and durations, unique ids, flag ranges, message-port fields, and the partitions extension's rules.
/// Every problem names its JSON path.
/// </summary>
internal sealed class ScenarioBuilder
{
    /// <summary>Top-level fields of the single-partition form that <c>partitions</c> replaces; each partition has its own.</summary>
    public static readonly IReadOnlyList<string> SingleFormOnlyFields = ["vcpus", "memory", "hyperv"];

    /// <summary>Port fields that only event ports may have (the schema's message-port rule).</summary>
    public static readonly IReadOnlyList<string> EventPortOnlyFields = ["baseFlagNumber", "flagCount"];

    private readonly string _source;
    private readonly string _baseDirectory;

    private ScenarioBuilder(string source, string baseDirectory)
    {
        _source = source;
        _baseDirectory = baseDirectory;
    }

    /// <summary>Builds the scenario; relative image paths are resolved against <paramref name="baseDirectory"/>.</summary>
    public static Scenario Build(ScenarioDocument document, string source, string baseDirectory) =>
        new ScenarioBuilder(source, baseDirectory).Build(document);

    private Scenario Build(ScenarioDocument document)
    {
        int vcpus = (int)(document.Vcpus ?? ScenarioDefaults.Vcpus);
        ulong memory = document.Memory is null ? ScenarioDefaults.MemoryBytes : Memory(document.Memory, "$.memory");
        TimeSpan timeout = document.Timeout is null ? ScenarioDefaults.Timeout : Timeout(document.Timeout, "$.timeout");
        if (document.Partitions is null)
        {
            return new Scenario
            {
                SourceName = _source,
                Vcpus = vcpus,
                MemoryBytes = memory,
                Timeout = timeout,
                Hyperv = Hyperv(document.Hyperv, "$.hyperv", partitionCount: 1),
            };
        }

        (string Name, bool Present)[] singleFormFields =
            [("vcpus", document.Vcpus is not null), ("memory", document.Memory is not null), ("hyperv", document.Hyperv is not null)];
        foreach ((string name, bool present) in singleFormFields)
        {
            if (present)
            {
                ThrowHelper.Problem(_source, JsonPathText.Property(JsonPathText.Root, name),
                    $"not allowed together with \"partitions\" (give each partition its own \"{name}\")");
            }
        }

        return new Scenario { SourceName = _source, Timeout = timeout, Partitions = Partitions(document.Partitions, "$.partitions") };
    }

    private PartitionSetup[] Partitions(List<PartitionDocument> documents, string path)
    {
        int count = documents.Count;
        if (count is 0 or > ScenarioLimits.MaxPartitions)
        {
            ThrowHelper.Problem(_source, path, $"has {count} partitions; allowed: 1..{ScenarioLimits.MaxPartitions} " +
                "(leave \"partitions\" out for the single-partition form)");
        }

        var firstIndexById = new Dictionary<long, int>();
        for (int k = 0; k < count; k++)
        {
            long id = documents[k].Id!.Value;
            string idPath = $"{path}[{k}].id";
            if (id > count)
            {
                ThrowHelper.Problem(_source, idPath, $"{id} is out of range 1..{count} (partition ids are 1..N for N partitions)");
            }

            if (!firstIndexById.TryAdd(id, k))
            {
                ThrowHelper.Problem(_source, idPath, $"duplicate partition id {id} (also at {path}[{firstIndexById[id]}].id)");
            }
        }

        var partitions = new PartitionSetup[count];
        for (int k = 0; k < count; k++)
        {
            PartitionDocument document = documents[k];
            string partitionPath = $"{path}[{k}]";
            partitions[k] = new PartitionSetup
            {
                Id = (int)document.Id!.Value,
                Vcpus = (int)(document.Vcpus ?? ScenarioDefaults.Vcpus),
                MemoryBytes = document.Memory is null ? ScenarioDefaults.MemoryBytes : Memory(document.Memory, $"{partitionPath}.memory"),
                Image = document.Image is null ? null : Image(document.Image, $"{partitionPath}.image"),
                Hyperv = Hyperv(document.Hyperv, $"{partitionPath}.hyperv", count),
            };
        }

        return partitions;
    }

    private HypervSetup Hyperv(HypervDocument? document, string path, int partitionCount)
    {
        if (document is null)
        {
            return new HypervSetup();
        }

        return new HypervSetup
        {
            Convention = document.Convention is null ? ScenarioDefaults.Convention : ScenarioNames.ConventionNamed(document.Convention),
            StatusProfile = document.StatusProfile is null ? ScenarioDefaults.StatusProfile : ScenarioNames.StatusProfileNamed(document.StatusProfile),
            Privileges = document.Privileges is null ? ScenarioDefaults.Privileges : Privileges(document.Privileges, $"{path}.privileges"),
            Ports = document.Ports is null ? [] : Ports(document.Ports, $"{path}.ports"),
            Connections = document.Connections is null ? [] : Connections(document.Connections, $"{path}.connections", partitionCount),
        };
    }

    private PartitionPrivileges Privileges(List<string> names, string path)
    {
        PartitionPrivileges privileges = PartitionPrivileges.None;
        var firstIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (!firstIndexByName.TryAdd(names[i], i))
            {
                ThrowHelper.Problem(_source, $"{path}[{i}]", $"{Quoting.Quote(names[i])} is listed twice (also at {path}[{firstIndexByName[names[i]]}])");
            }

            privileges |= ScenarioNames.PrivilegeNamed(names[i]);
        }

        return privileges;
    }

    private PortSetup[] Ports(List<PortDocument> documents, string path)
    {
        var ports = new PortSetup[documents.Count];
        var firstIndexById = new Dictionary<long, int>();
        for (int i = 0; i < documents.Count; i++)
        {
            PortDocument document = documents[i];
            string portPath = $"{path}[{i}]";
            long id = document.Id!.Value;
            if (!firstIndexById.TryAdd(id, i))
            {
                ThrowHelper.Problem(_source, $"{portPath}.id", $"duplicate port id {id} (also at {path}[{firstIndexById[id]}].id)");
            }

            PortType type = ScenarioNames.PortTypeNamed(document.Type!);
            ushort baseFlagNumber = 0;
            ushort flagCount = 0;
            if (type == PortType.Message)
            {
                (string Name, bool Present)[] eventOnlyFields =
                    [("baseFlagNumber", document.BaseFlagNumber is not null), ("flagCount", document.FlagCount is not null)];
                foreach ((string name, bool present) in eventOnlyFields)
                {
                    if (present)
                    {
                        ThrowHelper.Problem(_source, $"{portPath}.{name}", "not allowed on a message port (event ports only)");
                    }
                }
            }
            else
            {
                baseFlagNumber = (ushort)(document.BaseFlagNumber ?? ScenarioDefaults.BaseFlagNumber);
                flagCount = (ushort)(document.FlagCount ?? ScenarioDefaults.FlagCount);
                if (baseFlagNumber + flagCount > ScenarioLimits.FlagsPerSint)
                {
                    ThrowHelper.Problem(_source, $"{portPath}.flagCount",
                        $"baseFlagNumber {baseFlagNumber} + flagCount {flagCount} = {baseFlagNumber + flagCount} is more than the " +
                        $"{ScenarioLimits.FlagsPerSint} flags of a SINT (allowed: base + count <= {ScenarioLimits.FlagsPerSint})");
                }
            }

            long targetVp = document.TargetVp!.Value;
            if (targetVp > ScenarioLimits.MaxTargetVp && targetVp != ScenarioLimits.AnyVp)
            {
                ThrowHelper.Problem(_source, $"{portPath}.targetVp",
                    $"{targetVp} is out of range 0..{ScenarioLimits.MaxTargetVp} (or {ScenarioLimits.AnyVp}, HV_ANY_VP, for an event port)");
            }

            if (targetVp == ScenarioLimits.AnyVp && type != PortType.Event)
            {
                ThrowHelper.Problem(_source, $"{portPath}.targetVp", $"{ScenarioLimits.AnyVp} (HV_ANY_VP) is for event ports only");
            }

            ports[i] = new PortSetup
            {
                Id = (uint)id,
                Type = type,
                TargetVp = targetVp == ScenarioLimits.AnyVp ? HvBench.Hyperv.Port.AnyVp : (int)targetVp,
                TargetSint = (int)document.TargetSint!.Value,
                BaseFlagNumber = baseFlagNumber,
                FlagCount = flagCount,
            };
        }

        return ports;
    }

    private ConnectionSetup[] Connections(List<ConnectionDocument> documents, string path, int partitionCount)
    {
        var connections = new ConnectionSetup[documents.Count];
        var firstIndexById = new Dictionary<long, int>();
        for (int i = 0; i < documents.Count; i++)
        {
            ConnectionDocument document = documents[i];
            string connectionPath = $"{path}[{i}]";
            long id = document.Id!.Value;
            if (!firstIndexById.TryAdd(id, i))
            {
                ThrowHelper.Problem(_source, $"{connectionPath}.id", $"duplicate connection id {id} (also at {path}[{firstIndexById[id]}].id)");
            }

            if (document.Partition is long partition && partition > partitionCount)
            {
                ThrowHelper.Problem(_source, $"{connectionPath}.partition", partitionCount == 1
                    ? $"{partition} is out of range 1..1 (without \"partitions\" the scenario is one partition, id 1)"
                    : $"{partition} is out of range 1..{partitionCount} (the scenario has {partitionCount} partitions)");
            }

            connections[i] = new ConnectionSetup
            {
                Id = (uint)id,
                Port = (uint)document.Port!.Value,
                PortPartition = (int?)document.Partition,
            };
        }

        return connections;
    }

    private ulong Memory(string text, string path)
    {
        if (!MemorySize.TryParse(text, out ulong bytes, out string? error))
        {
            ThrowHelper.Problem(_source, path, error);
        }

        if (!ScenarioLimits.IsValidMemory(bytes, out string? problem))
        {
            ThrowHelper.Problem(_source, path, problem);
        }

        return bytes;
    }

    private TimeSpan Timeout(string text, string path)
    {
        if (!Duration.TryParse(text, out TimeSpan value, out string? error))
        {
            ThrowHelper.Problem(_source, path, error);
        }

        if (!ScenarioLimits.IsValidTimeout(value, out string? problem))
        {
            ThrowHelper.Problem(_source, path, problem);
        }

        return value;
    }

    private string Image(string text, string path)
    {
        if (text.Length == 0 || text.Contains('\0', StringComparison.Ordinal))
        {
            ThrowHelper.Problem(_source, path, $"expected a file path, got {Quoting.Quote(text)}");
        }

        return System.IO.Path.GetFullPath(text, _baseDirectory);
    }
}
