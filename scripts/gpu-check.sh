#!/usr/bin/env bash
# The one prepared device check (issue 18): on a lent machine with an NVIDIA GPU, no Java and no
# internet, it builds sltk's own JNI bridge against the machine's torch, then measures, in one
# results file:
#   - the tensor RFSS solver on the GPU at (20,5), (24,6) and (32,8), beside the 2-core CPU
#     meet-in-the-middle figures recorded below;
#   - the main job with --device gpu (the default solver 'auto' prunes with the tensor solver on
#     the device there) and with --solver mitm, each mask digest against the CPU's;
#   - the peak device memory (nvidia-smi, sampled every 100 ms).
# The CIFAR-10 job is not in it: the 64 MiB that travel to the machine cannot hold CIFAR-10.
#
#   scripts/gpu-check.sh bundle                   here: target/sltk-gpu-bundle.tar.gz (gpu-bundle.sh)
#   scripts/gpu-check.sh run BUNDLE OUTDIR [DEV]  there (DEV gpu, the default) or, as a dry run of
#                                                 the same code, here with DEV cpu
# On the device machine (the `run` tool, bundle carried):
#   bash scripts/gpu-check.sh run target/sltk-gpu-bundle.tar.gz "$OUT"
# Every step has its own time limit; the whole check is meant to stay under 8 minutes.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# the 2-core CPU figures (README "RFSS solvers", sltk bench all, AMD EPYC, load 1.4-1.6),
# instances/s of the exact meet-in-the-middle with 2 threads
CPU_20_5=105905
CPU_24_6=31120
CPU_32_8=1945

bundle() {
  bash "$ROOT/scripts/gpu-bundle.sh" "$ROOT/target/sltk-gpu-bundle.tar.gz"
}

run() {
  local bundle="$1" out="$2" dev="${3:-gpu}"
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
  local R="$out/gpu-check-results.txt" W
  W="$(mktemp -d)"
  : > "$R"
  say() { echo "$*" | tee -a "$R"; }
  say "# sltk gpu-check.sh, $(date -u +%FT%TZ), device $dev"
  tar -C "$W" -xzf "$bundle" || { say "FAILED: cannot unpack $bundle"; return 1; }
  cd "$W/sltk-gpu" || return 1
  export JAVA_HOME="$PWD/runtime" PATH="$PWD/runtime/bin:$PATH"
  say "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  say "gpu: $(nvidia-smi -L 2>/dev/null | head -1 || echo none)"
  say "torch: $(python3 -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda)' 2>&1 | tail -1)"

  SECONDS=0
  if ! timeout 420 scripts/torch-bridge.sh build > "$out/build.log" 2>&1; then
    say "FAILED: bridge build (${SECONDS}s); last lines:"; tail -30 "$out/build.log" | tee -a "$R"; return 1
  fi
  say "bridge build: ${SECONDS}s"
  # shellcheck disable=SC1091
  source target/torch-bridge/env.sh
  # DJL counts GPUs through libcudart (JNA): give it the folder pip's or the system's copy lies in
  local cudart
  cudart="$( (python3 - <<'PY'
import glob, os, site, torch
roots = site.getsitepackages() + [os.path.dirname(os.path.dirname(torch.__file__))]
for r in roots:
    for f in sorted(glob.glob(os.path.join(r, "nvidia", "**", "libcudart.so*"), recursive=True)):
        print(os.path.dirname(f)); raise SystemExit
PY
  ) 2>/dev/null | head -1)"
  [ -n "$cudart" ] || cudart="$(ldconfig -p 2>/dev/null | awk '/libcudart.so/ {print $NF; exit}' | xargs -r dirname)"
  export SLTK_JAVA_OPTS="-Xmx24g${cudart:+ -Djna.library.path=$cudart}"
  say "cudart folder: ${cudart:-not found}"
  ./sltk --version > "$out/version.txt" 2>&1
  say "version: $(tr '\n' ' ' < "$out/version.txt")"

  local sampler=""
  if command -v nvidia-smi >/dev/null && [ "$dev" != cpu ]; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$out/memory-mib.csv" 2>/dev/null &
    sampler=$!
  fi

  say ""
  say "## solver: tensor on $dev (instances/s; CPU: mitm, 2 threads, 2-core AMD EPYC)"
  local shapes="20:5,24:6,32:8"
  [ "$dev" = cpu ] && shapes="20:5,24:6"  # (32,8) is beyond the tensor solver's CPU reach
  SECONDS=0
  timeout 240 ./sltk rfss-speed --shapes "$shapes" --solvers tensor --device "$dev" \
    --instances 200000 --seconds 2 --rounds 3 --out "$out/rfss-speed.md" > "$out/rfss-speed.txt" 2>&1
  say "rfss-speed: rc $? in ${SECONDS}s"
  cat "$out/rfss-speed.md" >> "$R" 2>/dev/null || tail -20 "$out/rfss-speed.txt" | tee -a "$R"
  say "CPU mitm (2 cores): (20,5) $CPU_20_5/s, (24,6) $CPU_24_6/s, (32,8) $CPU_32_8/s"

  local want got rc
  want="$(cat EXPECTED_DIGEST 2>/dev/null)"
  for solver in auto mitm; do
    say ""
    say "## main job, --device $dev --solver $solver"
    SECONDS=0
    /usr/bin/time -v timeout 300 ./sltk prune --model models/lenet-300-100-mnist --density 0.25 \
      --eps 1e-3 --device "$dev" --solver "$solver" --out "runs/$solver" > "$out/mainjob-$solver.txt" 2>&1
    rc=$?
    got="$(sed -n 's/.*"maskDigest" *: *"\([0-9a-f]*\)".*/\1/p' "runs/$solver/config.json" 2>/dev/null | head -1)"
    say "rc $rc, ${SECONDS}s wall; digest ${got:-none} ($( [ -n "$got" ] && [ "$got" = "$want" ] && echo "= the CPU's" || echo "CPU: $want"))"
    grep -E 'pruned in|accuracy|bound|passes vs|total|stages|RFSS|random network' "$out/mainjob-$solver.txt" | tee -a "$R"
    grep -E 'Maximum resident|Elapsed' "$out/mainjob-$solver.txt" | tee -a "$R"
    [ "$rc" -eq 0 ] || tail -15 "$out/mainjob-$solver.txt" | tee -a "$R"
  done

  if [ -n "$sampler" ]; then
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
    say ""
    say "peak device memory: $(sort -n "$out/memory-mib.csv" | tail -1) MiB (nvidia-smi, whole GPU, every 100 ms)"
  fi
  ls hs_err_pid*.log >/dev/null 2>&1 && head -40 hs_err_pid*.log > "$out/hs_err.txt"
  say "done"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  bundle) bundle ;;
  run) [ $# -ge 2 ] || { echo "usage: scripts/gpu-check.sh run BUNDLE OUTDIR [gpu|cpu]" >&2; exit 2; }; run "$@" ;;
  *) echo "usage: scripts/gpu-check.sh bundle | run BUNDLE OUTDIR [gpu|cpu]" >&2; exit 2 ;;
esac
