#!/usr/bin/env bash
# Coverage-guided fuzzing of HvBench's untrusted-input parsers with AFL++ and SharpFuzz (docs/reliability.md):
#   fuzz/run.sh elf [SECONDS]        ImageLoader.Parse, seeded with images/*.elf
#   fuzz/run.sh scenario [SECONDS]   ScenarioParser.Parse, seeded with examples/*.json
# SECONDS defaults to 600. One afl-fuzz instance (the machines have 2 cores). Not part of ./run.sh test or CI.
# Everything goes to out/fuzz/TARGET/: publish/ (the instrumented build), seeds/, scenario.dict, and for each run
# findings-DATE/ with afl-fuzz's log beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "fuzz/run.sh: $*" >&2; exit 3; }

target="${1:-}"; seconds="${2:-600}"
case "$target" in
  elf)      seed_files=(images/*.elf) ;;
  scenario) seed_files=(examples/*.json) ;;
  *) echo "usage: fuzz/run.sh elf|scenario [SECONDS]" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a whole number above 0, not '$seconds'"

command -v dotnet >/dev/null || die "the .NET 10 SDK is missing (dotnet not on PATH)"
command -v afl-fuzz >/dev/null || die "afl-fuzz is missing: install AFL++ (Debian: apt-get install afl++)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The instrumenting tool is pinned in fuzz/dotnet-tools.json; restoring it is a no-op once it is there.
(cd fuzz && dotnet tool restore >/dev/null) \
  || die "cannot restore the sharpfuzz tool (SharpFuzz.CommandLine, fuzz/dotnet-tools.json) from NuGet"

work="out/fuzz/$target"
findings="$work/findings-$(date -u +%Y%m%d-%H%M%S)"
rm -rf "$work/publish" "$work/seeds"
mkdir -p "$work/seeds"
# The plain build in bin/ replays findings (--replay); its published copy gets the instrumentation, whose counters only
# work under afl-fuzz.
dotnet build fuzz/HvBench.Fuzz -c Release -v quiet -nologo "-clp:NoSummary;ErrorsOnly" >&2
dotnet publish fuzz/HvBench.Fuzz -c Release --no-build -o "$work/publish" -v quiet -nologo "-clp:NoSummary;ErrorsOnly" >&2
# Only the parsers' assembly carries coverage: the harness, the Hyper-V model's enums and the framework would add
# edges that say nothing about the input.
(cd fuzz && dotnet tool run sharpfuzz "../$work/publish/HvBench.Vmm.dll" >/dev/null) \
  || die "sharpfuzz could not instrument $work/publish/HvBench.Vmm.dll"
cp "${seed_files[@]}" "$work/seeds/"
if [ "$target" = elf ]; then
  # images/ holds only ELF64 images; a 32-bit multiboot one (QEMU's start-up guest) starts the ELF32 and multiboot paths.
  if command -v as >/dev/null && command -v ld >/dev/null; then
    as --32 docs/performance/qemu/mb.S -o "$work/mb.o" &&
      ld -m elf_i386 -Ttext-segment=0x100000 -e _start -o "$work/seeds/multiboot.elf" "$work/mb.o"
  else
    echo "fuzz/run.sh: as/ld (binutils) missing: no multiboot seed, the ELF32 paths start from mutations alone" >&2
  fi
fi
dictionary=()
if [ "$target" = scenario ]; then
  # The schema's words (field names, enum values) as JSON strings, so that mutations spell what the parser knows.
  grep -o '"[A-Za-z][A-Za-z0-9_-]*"' docs/scenario.schema.json | sort -u | sed 's/"/\\"/g; s/.*/"&"/' >"$work/scenario.dict"
  # And \u escapes, surrogates among them: the unescaping is framework code, which coverage does not lead to.
  printf '%s\n' '"\\u00"' '"\\uD800"' '"\\uDC00"' '"\\u0085"' >>"$work/scenario.dict"
  dictionary=(-x "$work/scenario.dict")
fi

replay="dotnet fuzz/HvBench.Fuzz/bin/Release/net10.0/HvBench.Fuzz.dll $target --replay"
log="$findings.log"
echo "fuzz/run.sh: fuzzing $target for $seconds s; findings in $findings, afl-fuzz's log in $log" >&2
# AFL_SKIP_BIN_CHECK: the target is `dotnet`, which carries no AFL instrumentation of its own (SharpFuzz's is in the
# IL). AFL_NO_AFFINITY: the machine is shared, so leave scheduling to the kernel instead of pinning a core.
# AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES, AFL_SKIP_CPUFREQ: hosts whose core_pattern or CPU governor we may not change.
# -t 5000: a parse takes microseconds, but a busy machine can stall the runtime; longer than that counts as a hang.
# -m none: the .NET runtime reserves far more virtual memory than AFL's default limit.
status=0
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 \
  afl-fuzz -i "$work/seeds" -o "$findings" -t 5000 -m none -V "$seconds" "${dictionary[@]}" \
  -- dotnet "$work/publish/HvBench.Fuzz.dll" "$target" >"$log" 2>&1 || status=$?

if [ "$status" -ne 0 ]; then
  tail -n 15 "$log" >&2
  # The harness runs in AFL's persistent mode (Fuzzer.Run): one process serves every input, so a hang that AFL kills,
  # or a stack overflow, takes the fork server with it and afl-fuzz stops without saving the input. It is still in
  # .cur_input, where afl-fuzz wrote it for the target's stdin.
  if grep -q "Unable to communicate with fork server" "$log" && [ -f "$findings/default/.cur_input" ]; then
    lost="$findings/default/hangs/stopped-the-target"
    mkdir -p "$(dirname "$lost")"
    cp "$findings/default/.cur_input" "$lost"
    die "afl-fuzz lost the target (a hang past -t, or a process crash such as a stack overflow) on $lost;" \
      "replay it with: timeout 60 $replay $lost"
  fi
  die "afl-fuzz failed (exit $status); its log: $log"
fi

stats="$findings/default/fuzzer_stats"
[ -f "$stats" ] || die "afl-fuzz left no $stats"
figure() { grep -E "^$1 +:" "$stats" | sed 's/.*: *//'; }
echo "fuzz/run.sh: $target: $(figure execs_done) execs in $(figure run_time) s ($(figure execs_per_sec)/s), corpus $(figure corpus_count)," \
  "edges $(figure edges_found) of $(figure total_edges), crashes $(figure saved_crashes), hangs $(figure saved_hangs)"
echo "fuzz/run.sh: crashes in $findings/default/crashes/, hangs in $findings/default/hangs/; to see what each does:"
echo "  $replay FILE..."
