namespace HvBench.Guest;
