namespace HvBench.Hyperv;
