namespace HvBench.Vmm.Configuration;

/// <summary>
/// Finds the set-ups scenario.md allows but the VMM reports: a port whose target VP does not exist (the guest gets
/// HV_STATUS_INVALID_VP_INDEX) and a connection to a port id that does not exist (HV_STATUS_INVALID_PORT_ID).
/// </summary>
internal static class ScenarioWarnings
{
    public static IReadOnlyList<string> Collect(Scenario scenario)
    {
        var warnings = new List<string>();
        IReadOnlyList<PartitionSetup> partitions = scenario.EffectivePartitions;
        bool single = scenario.Partitions is null;
        for (int k = 0; k < partitions.Count; k++)
        {
            PartitionSetup partition = partitions[k];
            string hypervPath = single ? "$.hyperv" : $"$.partitions[{k}].hyperv";
            string owner = single ? "the machine" : $"partition {partition.Id}";
            IReadOnlyList<PortSetup> ports = partition.Hyperv.Ports;
            for (int i = 0; i < ports.Count; i++)
            {
                int vp = ports[i].TargetVp;
                if (vp != HvBench.Hyperv.Port.AnyVp && (vp < 0 || vp >= partition.Vcpus))
                {
                    warnings.Add($"{scenario.SourceName}: {hypervPath}.ports[{i}].targetVp: VP {vp} does not exist ({owner} has VPs 0..{partition.Vcpus - 1}); " +
                        "hypercalls through this port return HV_STATUS_INVALID_VP_INDEX");
                }
            }

            IReadOnlyList<ConnectionSetup> connections = partition.Hyperv.Connections;
            for (int i = 0; i < connections.Count; i++)
            {
                ConnectionSetup connection = connections[i];
                int portPartitionId = connection.PortPartitionFor(partition.Id);
                PartitionSetup? portPartition = Find(partitions, portPartitionId);
                string path = $"{scenario.SourceName}: {hypervPath}.connections[{i}]";
                if (portPartition is null)
                {
                    warnings.Add($"{path}.partition: partition {portPartitionId} does not exist; " +
                        $"hypercalls on connection {connection.Id} return HV_STATUS_INVALID_PORT_ID");
                }
                else if (!HasPort(portPartition, connection.Port))
                {
                    string where = single ? "" : $" in partition {portPartitionId}";
                    warnings.Add($"{path}.port: port {connection.Port} does not exist{where}; " +
                        $"hypercalls on connection {connection.Id} return HV_STATUS_INVALID_PORT_ID");
                }
            }
        }

        return warnings;
    }

    private static PartitionSetup? Find(IReadOnlyList<PartitionSetup> partitions, int id)
    {
        foreach (PartitionSetup partition in partitions)
        {
            if (partition.Id == id)
            {
                return partition;
            }
        }

        return null;
    }

    private static bool HasPort(PartitionSetup partition, uint portId)
    {
        foreach (PortSetup port in partition.Hyperv.Ports)
        {
            if (port.Id == portId)
            {
                return true;
            }
        }

        return false;
    }
}
