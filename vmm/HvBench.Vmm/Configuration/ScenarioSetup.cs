using HvBench.Kvm;
using HvBench.Vmm.Boot;
using HvBench.Vmm.Host;
using HvBench.Vmm.Loaders;

namespace HvBench.Vmm.Configuration;

/// <summary>
/// Turns a validated <see cref="Scenario"/> and a run's <see cref="ScenarioRunOptions"/> into machines, one per
/// partition, with the scenario's ports and connections added to their Hyper-V partitions (docs/scenario.md).
/// </summary>
/// <remarks>
/// Three steps, so that every mistake a user can make is found before KVM is opened: <see cref="ApplyOverrides"/>
/// (command-line flags over the file), <see cref="Plan"/> (images loaded and checked, configurations made), and
/// <see cref="Create"/> (VMs built, ports and connections added). <see cref="Build"/> does all three.
/// </remarks>
public static class ScenarioSetup
{
    /// <summary>Applies the command-line overrides. With <c>partitions</c>, <c>--vcpus</c>, <c>--memory</c> and
    /// <c>--convention</c> are refused: each partition sets its own, and a flag cannot say which one it means.
    /// <c>--status-profile</c> applies to every partition: it chooses what the whole run is compared with.</summary>
    /// <exception cref="ScenarioException">An override that the scenario's form does not allow.</exception>
    public static Scenario ApplyOverrides(Scenario scenario, ScenarioRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        Scenario result = options.Timeout is { } timeout ? scenario with { Timeout = timeout } : scenario;
        if (scenario.Partitions is not null)
        {
            RefuseWithPartitions(scenario, "--vcpus", "vcpus", options.Vcpus is not null);
            RefuseWithPartitions(scenario, "--memory", "memory", options.MemoryBytes is not null);
            RefuseWithPartitions(scenario, "--convention", "hyperv.convention", options.Convention is not null);
            return options.StatusProfile is { } everyProfile
                ? result with { Partitions = [.. scenario.Partitions.Select(p => p with { Hyperv = WithProfile(p.Hyperv, everyProfile) })] }
                : result;
        }

        HypervSetup hyperv = options.Convention is { } convention ? scenario.Hyperv with { Convention = convention } : scenario.Hyperv;
        return result with
        {
            Vcpus = options.Vcpus ?? scenario.Vcpus,
            MemoryBytes = options.MemoryBytes ?? scenario.MemoryBytes,
            Hyperv = options.StatusProfile is { } profile ? WithProfile(hyperv, profile) : hyperv,
        };
    }

    private static HypervSetup WithProfile(HypervSetup hyperv, StatusProfile profile) => hyperv with { StatusProfile = profile };

    /// <summary>Applies the overrides, loads each partition's image (its own, else the run's IMAGE) below its VPs'
    /// stacks, and makes one <see cref="MachineConfig"/> per partition. Touches no KVM.</summary>
    /// <exception cref="ScenarioException">An override that the scenario's form does not allow, or a partition's own
    /// image (<c>$.partitions[k].image</c>) that cannot be read or does not fit.</exception>
    /// <exception cref="ImageFormatException">The run's IMAGE cannot be read or does not fit its partition.</exception>
    /// <exception cref="MachineException">A partition without an image, or RAM too small for its VPs' stacks.</exception>
    public static ScenarioPlan Plan(Scenario scenario, ScenarioRunOptions options)
    {
        Scenario effective = ApplyOverrides(scenario, options);
        IReadOnlyList<PartitionSetup> partitions = effective.EffectivePartitions;
        bool single = effective.Partitions is null;
        var configs = new MachineConfig[partitions.Count];
        for (int k = 0; k < partitions.Count; k++)
        {
            PartitionSetup partition = partitions[k];
            string who = single ? "the machine" : $"partition {partition.Id}";
            ulong stacksBottom = StacksBottom(partition, who);
            GuestImage image = LoadImage(effective, k, options, who, stacksBottom);
            ulong partitionId = (ulong)partition.Id;
            Action<ulong, string>? onLine = options.OnConsoleLine;
            configs[k] = new MachineConfig
            {
                Image = image,
                PartitionId = partitionId,
                VcpuCount = partition.Vcpus,
                MemoryBytes = partition.MemoryBytes,
                Timeout = effective.Timeout,
                Convention = partition.Hyperv.Convention,
                StatusProfile = partition.Hyperv.StatusProfile,
                Privileges = partition.Hyperv.Privileges,
                Intercept = options.Intercept,
                HypercallPage = options.HypercallPage,
                Trace = options.Trace,
                OnConsoleLine = onLine is null ? null : line => onLine(partitionId, line),
            };
        }

        return new ScenarioPlan(effective, configs);
    }

    /// <summary>Builds one machine per planned partition on <paramref name="kvm"/> (or on a <c>/dev/kvm</c> opened here
    /// and closed with the machines), then adds the ports and connections. On failure nothing is left open.</summary>
    /// <exception cref="MachineException">KVM could not be opened or refused a step.</exception>
    public static ScenarioMachines Create(ScenarioPlan plan, KvmSystem? kvm = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        KvmSystem? owned = null;
        if (kvm is null)
        {
            try
            {
                owned = kvm = KvmSystem.Open();
            }
            catch (KvmException e)
            {
                throw new MachineException(KvmDeviceProblem.Describe("/dev/kvm", e), e);
            }
        }

        var machines = new List<Machine>(plan.Configs.Count);
        try
        {
            foreach (MachineConfig config in plan.Configs) machines.Add(Machine.Create(config, kvm));
            var partitions = new Partition[machines.Count];
            for (int i = 0; i < machines.Count; i++) partitions[i] = machines[i].Hyperv;
            AddPortsAndConnections(plan.Scenario.EffectivePartitions, partitions);
            return new ScenarioMachines(plan, machines, owned);
        }
        catch
        {
            foreach (Machine machine in machines) machine.Dispose();
            owned?.Dispose();
            throw;
        }
    }

    /// <summary><see cref="Plan"/> then <see cref="Create"/>; the scenario's warnings go to <paramref name="onWarning"/>
    /// before anything is built.</summary>
    public static ScenarioMachines Build(Scenario scenario, ScenarioRunOptions options, KvmSystem? kvm = null, Action<string>? onWarning = null)
    {
        ScenarioPlan plan = Plan(scenario, options);
        if (onWarning is not null)
            foreach (string warning in plan.Warnings) onWarning(warning);
        return Create(plan, kvm);
    }

    /// <summary>Adds each partition's ports to its model partition, then each connection, bound to the partition that
    /// owns its port (<see cref="ConnectionSetup.PortPartitionFor"/>). <paramref name="models"/> are in the order of
    /// <paramref name="setups"/>; partition ids are 1 … N (the parser guarantees it).</summary>
    public static void AddPortsAndConnections(IReadOnlyList<PartitionSetup> setups, IReadOnlyList<Partition> models)
    {
        ArgumentNullException.ThrowIfNull(setups);
        ArgumentNullException.ThrowIfNull(models);
        if (setups.Count != models.Count)
            throw new ArgumentException($"{setups.Count} partition set-ups but {models.Count} partitions", nameof(models));
        var byId = new Dictionary<int, Partition>();
        for (int k = 0; k < setups.Count; k++) byId[setups[k].Id] = models[k];

        for (int k = 0; k < setups.Count; k++)
        {
            foreach (PortSetup port in setups[k].Hyperv.Ports)
            {
                if (port.Type == PortType.Event)
                    models[k].AddEventPort(port.Id, port.TargetVp, port.TargetSint, port.BaseFlagNumber, port.FlagCount);
                else
                    models[k].AddMessagePort(port.Id, port.TargetVp, port.TargetSint);
            }
        }

        for (int k = 0; k < setups.Count; k++)
        {
            foreach (ConnectionSetup connection in setups[k].Hyperv.Connections)
            {
                int owner = connection.PortPartitionFor(setups[k].Id);
                if (!byId.TryGetValue(owner, out Partition? portPartition))
                    throw new ArgumentException($"connection {connection.Id} of partition {setups[k].Id} names partition {owner}, which is not in the set", nameof(setups));
                models[k].AddConnection(connection.Id, portPartition, connection.Port);
            }
        }
    }

    private static void RefuseWithPartitions(Scenario scenario, string flag, string field, bool given)
    {
        if (given)
            throw new ScenarioException(scenario.SourceName, "$.partitions",
                $"{flag} cannot override a scenario with \"partitions\" (set \"{field}\" in each partition instead)");
    }

    private static ulong StacksBottom(PartitionSetup partition, string who)
    {
        // The first MiB is the VMM's, and every VP has a 64 KiB stack at the top of RAM (guest-abi.md).
        ulong stacks = (ulong)partition.Vcpus * BootLayout.StackSize;
        if (partition.MemoryBytes <= BootLayout.ReservedBelow + stacks)
            throw new MachineException($"{who}: {MemorySize.Format(partition.MemoryBytes)} of RAM cannot hold {partition.Vcpus} VPs' " +
                $"{BootLayout.StackSize >> 10} KiB stacks above the first MiB; give it more memory or fewer VPs");
        return BootLayout.StacksBottom(partition.MemoryBytes, partition.Vcpus);
    }

    private static GuestImage LoadImage(Scenario scenario, int index, ScenarioRunOptions options, string who, ulong highestAddress)
    {
        PartitionSetup partition = scenario.EffectivePartitions[index];
        if (partition.Image is { } own)
        {
            try
            {
                return ImageLoader.Load(own, new ImageLoadOptions { HighestAddress = highestAddress });
            }
            catch (ImageFormatException e)
            {
                // The path came from the scenario, so the refusal names where in it, as every scenario error does.
                throw new ScenarioException(scenario.SourceName, $"$.partitions[{index}].image", e.Message);
            }
        }
        if (options.ImagePath is { } runImage)
        {
            return ImageLoader.Load(runImage, new ImageLoadOptions
            {
                Format = options.ImageFormat,
                FlatLoadAddress = options.FlatLoadAddress,
                HighestAddress = highestAddress,
            });
        }

        throw new MachineException($"{who} has no image: give the run an IMAGE or the partition an \"image\"");
    }
}
