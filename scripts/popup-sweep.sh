#!/usr/bin/env bash
# The sweep of docs/popup.md: tickets constructed by sltk prune against tickets found by edge-popup
# (sltk popup) on MNIST, on the shipped LeNet-300-100 target, then sltk compare (CSV + PNG).
#
#   scripts/popup-sweep.sh [OUT]          # default OUT: runs/popup-sweep
#
# Budgets (environment): PAIR_EPOCHS/PAIR_IMAGES for edge-popup on the pair networks (70.8M and
# 117.9M parameters: slow on a CPU), PLAIN_EPOCHS for the plain LeNet-300-100 (266k parameters),
# which also runs once on the pair networks' budget. Every run records its own settings and time.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out="${1:-runs/popup-sweep}"
PAIR_EPOCHS="${PAIR_EPOCHS:-1}"
PAIR_IMAGES="${PAIR_IMAGES:-1024}"
PLAIN_EPOCHS="${PLAIN_EPOCHS:-10}"
model=models/lenet-300-100-mnist
mkdir -p "$out"
log="$out/machine.txt"
{ lscpu | grep -E 'Model name|^CPU\(s\)'; echo "start $(date -u) $(uptime)"; } > "$log"
timed() { # NAME CMD...: runs CMD, appends wall time, peak RSS and the load after it to machine.txt
  local name="$1"; shift
  /usr/bin/time -f "$name: %e s wall, %M KiB peak RSS" -a -o "$log" "$@"
  echo "  after $name: $(uptime)" >> "$log"
}
runs=()
for bd in 0.5 0.25 0.1; do
  timed "prune $bd" ./sltk prune --model "$model" --density "$bd" --eps 1e-3 --out "$out/constructed-$bd"
  runs+=("$out/constructed-$bd")
done
for d in 0.5 0.3 0.1; do
  timed "popup plain $d" ./sltk popup --arch 784-300-100-10 --density "$d" --epochs "$PLAIN_EPOCHS" \
    --out "$out/popup-plain-$d"
  runs+=("$out/popup-plain-$d")
  timed "popup plain short $d" ./sltk popup --arch 784-300-100-10 --density "$d" \
    --epochs "$PAIR_EPOCHS" --train-images "$PAIR_IMAGES" --out "$out/popup-plain-short-$d"
  runs+=("$out/popup-plain-short-$d")
done
for bd in 0.5 0.25 0.1; do
  # the pair network of sltk prune --density $bd, at the overall density of its constructed ticket
  timed "popup pair $bd" ./sltk popup --model "$model" --block-density "$bd" \
    --epochs "$PAIR_EPOCHS" --train-images "$PAIR_IMAGES" --out "$out/popup-pair-$bd"
  timed "eval popup pair $bd" ./sltk eval --run "$out/popup-pair-$bd"
  runs+=("$out/popup-pair-$bd")
done
./sltk compare --model "$model" --out "$out" --run "${runs[@]}"
echo "end $(date -u) $(uptime)" >> "$log"
