using HvBench.Vmm.Configuration;

namespace HvBench.Vmm.Tests.Configuration.Setup;

/// <summary>More VPs than the RAM has room for stacks: refused before any image is loaded, in one line.</summary>
[TestFixture, Category("Unit")]
public sealed class ScenarioSetupWithTooLittleRam
{
    [Test]
    public void RefusesNamingTheRamAndTheVps()
    {
        var options = new ScenarioRunOptions { ImagePath = RepositoryFiles.PathOf("images", "hello.elf"), Vcpus = 1024, MemoryBytes = 2UL << 20 };
        var refusal = Assert.Throws<MachineException>(() => ScenarioSetup.Plan(new Scenario(), options))!;
        Assert.That(refusal.Message, Does.StartWith("the machine: 2M of RAM cannot hold 1024 VPs' 64 KiB stacks"));
        Assert.That(refusal.InnerException, Is.Null, "a usage error (exit code 2), not a host failure");
    }
}
