#!/usr/bin/env bash
# The CIFAR-10 benchmark of the README and docs/cnn.md: tickets of the shipped VGG target at block
# densities 0.5, 0.25 and 0.1, each pruned (sltk prune --no-eval) and then evaluated on the test
# images (sltk eval), every step under /usr/bin/time with the load before and after it.
#
#   scripts/cifar10-tickets.sh [OUT [IMAGES [DENSITY:N ...]]]
#       OUT     default docs/results/cifar10 (the run directories go to runs/cifar10, not in git)
#       IMAGES  test images to evaluate, 0 = all 10,000 (default)
#       DENSITY:N  default 0.5:24 0.5:40 0.25:24 0.1:40 (the n that --n auto picks, and n = 40 at
#                  0.5: of n = 24, 32 and 40 measured, the one that meets the accuracy goal)
#
# Needs the data (scripts/install-data.sh cifar10). Writes, per density, vgg-dD-nN-prune.txt and
# vgg-dD-nN-eval.txt (stdout with uptime), vgg-dD-nN-report.json, -prune.json and -config.json
# (the run's records), and OUT/summary.md: the table with wall time and peak RSS of both processes.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out="${1:-docs/results/cifar10}"
images="${2:-0}"
shift $(($# > 2 ? 2 : $#))
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(0.5:24 0.5:40 0.25:24 0.1:40)
model=models/vgg-24-48-96-cifar10/model.pt
export SLTK_JAVA_OPTS="${SLTK_JAVA_OPTS:--Xmx4g}"
mkdir -p "$out" runs/cifar10
{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core|MHz'; echo "start $(date -u)"; } > "$out/lscpu.txt"
timed() { # FILE CMD...: CMD's stdout and stderr to FILE, with uptime and /usr/bin/time -v
  local file="$1"; shift
  echo "uptime before: $(uptime)" > "$file"
  /usr/bin/time -v -o "$file.time" "$@" >> "$file" 2>&1
  echo "uptime after: $(uptime)" >> "$file"
  grep -E 'Elapsed|Maximum resident|Exit status' "$file.time" | sed 's/^\t/  /' >> "$file"
  rm -f "$file.time"
}
for s in "${specs[@]}"; do
  [ -z "${TABLE_ONLY:-}" ] || break # TABLE_ONLY=1: only rewrite summary.md from the files in OUT
  d="${s%%:*}"; n="${s##*:}"
  run="runs/cifar10/vgg-d$d-n$n"
  timed "$out/vgg-d$d-n$n-prune.txt" ./sltk prune --model "$model" --data cifar10 --density "$d" --n "$n" \
    --device cpu --no-eval --out "$run"
  timed "$out/vgg-d$d-n$n-eval.txt" ./sltk eval --run "$run" --device cpu --images "$images"
  cp "$run/report.json" "$out/vgg-d$d-n$n-report.json"
  cp "$run/prune.json" "$out/vgg-d$d-n$n-prune.json"
  cp "$run/config.json" "$out/vgg-d$d-n$n-config.json"
done
# the table: one row per density, from the run records and the time -v lines
python3 - "$out" "${specs[@]}" > "$out/summary.md" <<'EOF'
import json, re, sys
out = sys.argv[1]
print("| block density | n / k | random net params | kept (overall density) | target acc. | ticket acc. "
      "| diff | agreement | max logit err | bound on data (max per image) | respected | prune s (wall, RSS) "
      "| eval s (bound s; wall, RSS) |")
print("| --- " * 13 + "|")
def wall_rss(path):
    t = open(path).read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t)
    parts = [float(p) for p in m.group(1).split(":")]
    wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 2**20
    return wall, rss
for s in sys.argv[2:]:
    d, n = s.split(":")
    rep = json.load(open(f"{out}/vgg-d{d}-n{n}-report.json"))
    e = rep["evaluation"]
    p = json.load(open(f"{out}/vgg-d{d}-n{n}-prune.json"))
    cfg = json.load(open(f"{out}/vgg-d{d}-n{n}-config.json"))
    pw, pr = wall_rss(f"{out}/vgg-d{d}-n{n}-prune.txt")
    ew, er = wall_rss(f"{out}/vgg-d{d}-n{n}-eval.txt")
    kept = p["keptParameters"]
    total = p["randomNetworkParameters"]
    print(f"| {d} | {cfg['n']} / {cfg['k']} | {total:,} | {kept:,} ({kept / total:.5f}) "
          f"| {e['targetAccuracy']:.2%} | {e['ticketAccuracy']:.2%} "
          f"| {100 * (e['ticketAccuracy'] - e['targetAccuracy']):+.2f} pp | {e['agreement']:.2%} "
          f"| {e['maxLogitError']:.3g} | {e['guaranteedBoundOnData']:,.0f} "
          f"| {e['imagesChecked'] - e['imagesViolated']} of {e['images']} "
          f"| {p['seconds']:.1f} ({pw:.0f}, {pr:.2f} GiB) "
          f"| {e['seconds']:.0f} ({e['boundSeconds']:.0f}; {ew:.0f}, {er:.2f} GiB) |")
EOF
cat "$out/summary.md"
