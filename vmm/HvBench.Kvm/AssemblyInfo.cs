namespace HvBench.Kvm;
