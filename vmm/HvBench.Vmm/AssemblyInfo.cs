namespace HvBench.Vmm;
