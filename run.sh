#!/usr/bin/env bash
# HvBench's two set-up commands:
#   ./run.sh          build, boot the default guest (HvSignalEvent between two VPs) on /dev/kvm, print its console and verdict
#   ./run.sh test     restore, build and run every NUnit test; ends with "N passed, N failed, N skipped"
#   ./run.sh soak KIND [COUNT] [SEED]   the long stress modes (model, signals, loader, lifecycle; docs/reliability.md)
# Anything after the command is passed on (./run.sh run IMAGE ... runs any image).
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "run.sh: $*" >&2; exit 3; }

check_prerequisites() {
  [ "$(uname -s)" = Linux ] || die "HvBench needs Linux (this is $(uname -s))"
  command -v dotnet >/dev/null || die "the .NET 10 SDK is missing: install it from https://dot.net (dotnet not on PATH)"
  dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is missing (found: $(dotnet --list-sdks | tr '\n' ' '))"
}

check_kvm() {
  if [ ! -e /dev/kvm ]; then
    # The same diagnosis hvbench gives (KvmDeviceProblem), in short: no KVM, no node, or a vendor module that did not bind.
    if grep -qw kvm /proc/misc 2>/dev/null; then die "/dev/kvm does not exist, but the kernel registered it: mknod /dev/kvm c 10 232"
    elif ls -d /sys/module/kvm_* >/dev/null 2>&1; then
      die "/dev/kvm does not exist: KVM is in this kernel ($(cd /sys/module && echo kvm_*)) but its vendor module did not bind (see dmesg; a kernel that is itself a kvm_pvm guest never binds kvm_pvm)"
    else die "/dev/kvm does not exist: load kvm_intel or kvm_amd (or run on a host with KVM)"
    fi
  fi
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || die "/dev/kvm is not readable and writable by $(id -un): add yourself to group kvm"
}

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

hvbench() {
  dotnet build vmm/HvBench.Cli -c Release -v quiet -nologo "-clp:NoSummary;ErrorsOnly" >&2
  dotnet vmm/HvBench.Cli/bin/Release/net10.0/hvbench.dll "$@"
}

case "${1:-}" in
  "")
    check_prerequisites; check_kvm
    # The default guest: VP0 signals VP1 with HvSignalEvent; VP1 takes the SINT and reports what it saw.
    hvbench run images/signal.elf --config examples/signal.json
    ;;
  test)
    check_prerequisites
    shift
    results=TestResults
    rm -rf "$results"
    # A restore or build that fails still ends with the summary line CI reads.
    if ! dotnet restore HvBench.sln -v quiet || ! dotnet build HvBench.sln -c Release --no-restore -v quiet -nologo -clp:ErrorsOnly; then
      echo "0 passed, 1 failed, 0 skipped (the restore or build failed)"
      exit 1
    fi
    status=0
    dotnet test HvBench.sln -c Release --no-build --logger "trx" --results-directory "$results" "$@" || status=$?
    # dotnet test's own summary is not a format CI reads: sum the TRX counters into one plain line.
    passed=0; failed=0; skipped=0
    for trx in "$results"/*.trx; do
      [ -e "$trx" ] || continue
      counters=$(grep -o '<Counters [^>]*>' "$trx")
      get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
      passed=$((passed + $(get passed)))
      failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
      # Ignored and inconclusive tests are neither passed nor failed (the TRX counts them in neither).
      skipped=$((skipped + $(get total) - $(get passed) - $(get failed) - $(get error) - $(get timeout) - $(get aborted)))
    done
    [ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1  # a crashed test host still fails the run
    echo "$passed passed, $failed failed, $skipped skipped"
    exit "$status"
    ;;
  run|caps|bench)
    check_prerequisites; check_kvm
    hvbench "$@"
    ;;
  soak)
    # The long randomized and stress modes of docs/reliability.md ("Soak runs"): ./run.sh soak KIND [COUNT] [SEED].
    check_prerequisites
    kind="${2:-}"; count="${3:-}"; seed="${4:-0x5EED}"
    case "$kind" in
      model)     project=tests/HvBench.Hyperv.Tests; filter=TenMillionRandomHypercallsAndMsrAccesses
                 export HVBENCH_SOAK_MODEL_INPUTS="${count:-1000000000}" HVBENCH_SOAK_MODEL_SEED="$seed" ;;
      signals)   project=tests/HvBench.Vmm.Tests; filter=FlatOut
                 export HVBENCH_SOAK_SIGNALS="${count:-1000000}" ;;
      loader)    project=tests/HvBench.Vmm.Tests; filter=MutationsOfTheCheckedInImages
                 export HVBENCH_SOAK_LOADER_MUTATIONS="${count:-100000}" HVBENCH_SOAK_LOADER_SEED="$seed" ;;
      lifecycle) project=tests/HvBench.Vmm.Tests; filter=AThousandMachinesInOneProcess.LeaveFileDescriptors
                 export HVBENCH_SOAK_CYCLES="${count:-10000}" ;;
      *) echo "usage: ./run.sh soak model|signals|loader|lifecycle [COUNT] [SEED]" >&2; exit 2 ;;
    esac
    [ "$kind" = model ] || check_kvm
    dotnet build "$project" -c Release -v quiet -nologo -clp:ErrorsOnly
    exec dotnet test "$project" -c Release --no-build --filter "FullyQualifiedName~$filter" --logger "console;verbosity=detailed"
    ;;
  *)
    echo "usage: ./run.sh [test [dotnet test options] | run IMAGE [options] | caps | bench | soak KIND [COUNT] [SEED]]" >&2
    exit 2
    ;;
esac
