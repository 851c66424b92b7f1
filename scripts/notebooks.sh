#!/usr/bin/env bash
# Notebooks: the same .ipynb files open in IJava (kernelspec "java") on a user's machine and
# are executed headlessly here with rapaio-jupyter-kernel installed under that same name
# (see docs: IJava is on no registry we build from; rapaio 3.0.1 is on Maven Central).
#   scripts/notebooks.sh lib            jars the notebooks load with `%jars ../target/notebook-lib/`
#   scripts/notebooks.sh kernel         Debian's nbconvert + the CI kernel under target/jupyter/
#   scripts/notebooks.sh check [NB...]  committed notebooks carry no outputs and kernelspec "java"
#   scripts/notebooks.sh strip [NB...]  remove outputs and execution counts in place (before a commit)
#   scripts/notebooks.sh run [NB...]    check + lib + kernel + execute (default: notebooks/*.ipynb)
#   scripts/notebooks.sh packages       the Debian packages kernel installs (scripts/test.sh installs them in CI)
# run writes the executed copies and one log per notebook to target/notebooks-out/, checks that
# every executed notebook holds at least one image/png output, prints the accuracy lines it
# printed, and ends with "notebooks: N passed, M failed" (exit 1 if any failed).
set -euo pipefail
cd "$(dirname "$0")/.."
# CPU kernels pinned to AVX2 unless set by the user (scripts/cpu-kernels.sh): the kernel JVM
# inherits them from nbconvert, and kernel.json carries them for a Jupyter started elsewhere.
# shellcheck source=scripts/cpu-kernels.sh
source scripts/cpu-kernels.sh
RJK_VERSION=3.0.1
JUPYTER_DIR="$PWD/target/jupyter"          # absolute: kernel.json paths resolve against it
KDIR="$JUPYTER_DIR/kernels/java"
LIB=target/notebook-lib
OUT=target/notebooks-out
PY=/usr/bin/python3
DEBS=(jupyter-nbconvert jupyter-client python3-jupyter-client fontconfig fonts-dejavu-core)

# Debian's Maven 3.8 prints bare ESC[0m sequences even with -q -B; drop them so the log stays clean.
mvnq() { mvn -q -B "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; }

# The project jar and every runtime dependency (the pom copies them to target/lib at package
# time, test scope excluded), including DJL's pytorch-jni and pytorch-native-cpu jars, so that
# the engine finds libtorch offline inside the kernel.
lib() {
  rm -rf target/lib                        # no stale jars from an older dependency set
  mvnq -DskipTests package
  rm -rf "$LIB" && mkdir -p "$LIB"
  for j in target/sltk.jar target/lib/*.jar; do
    ln "$j" "$LIB/" 2>/dev/null || cp "$j" "$LIB/"
  done
  local missing=0
  for want in sltk.jar 'api-*.jar' 'pytorch-engine-*.jar' 'pytorch-jni-*.jar' 'pytorch-native-cpu-*.jar' 'xchart-*.jar'; do
    compgen -G "$LIB/$want" > /dev/null || { echo "notebooks.sh lib: $want missing in $LIB" >&2; missing=1; }
  done
  for unwanted in 'junit-*.jar' 'nd4j-*.jar' 'opentest4j-*.jar'; do
    ! compgen -G "$LIB/$unwanted" > /dev/null || { echo "notebooks.sh lib: test jar $unwanted in $LIB" >&2; missing=1; }
  done
  [ "$missing" -eq 0 ]
  echo "notebook lib: $(ls "$LIB" | wc -l) jars in $LIB ($(du -sh "$LIB" | cut -f1))"
}

kernel() {
  if ! $PY -c 'import nbformat, nbconvert, nbclient, jupyter_client' 2>/dev/null \
     || ! fc-list 2>/dev/null | grep -q .; then
    if [ "$(id -u)" != 0 ]; then
      echo "notebooks.sh kernel: needs Debian's ${DEBS[*]} (apt-get as root)" >&2
      return 1
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${DEBS[@]}"
  fi
  rm -rf "$KDIR" && mkdir -p "$KDIR"
  mvnq org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION -DoutputDirectory="$KDIR"
  javac -nowarn --release 17 -cp "$KDIR/rapaio-jupyter-kernel-$RJK_VERSION.jar" -d "$KDIR/patch" \
      scripts/jupyter/LoopThread.java
  # JVM options as in the sltk launcher and Surefire: DJL offline (libtorch from the jar in
  # target/notebook-lib, never a download), no tracking probe, headless AWT for XChart, and
  # the CPU kernel pins in effect here.
  local pins="" name
  for name in $SLTK_CPU_KERNEL_VARS; do
    [ -z "${!name+x}" ] || pins="$pins, \"$name\": \"${!name}\""
  done
  cat > "$KDIR/kernel.json" <<EOF
{
  "argv": ["java", "-Xmx8g", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
           "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
           "-cp", "{resource_dir}/patch:{resource_dir}/rapaio-jupyter-kernel-$RJK_VERSION.jar",
           "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"],
  "display_name": "Java (rapaio $RJK_VERSION, CI)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {"RJK_TIMEOUT_MILLIS": "-1", "DJL_OFFLINE": "true", "OPT_OUT_TRACKING": "true"$pins}
}
EOF
}

# Committed notebooks are stored without outputs and with IJava's kernelspec.
check() {
  local nbs=("$@"); [ ${#nbs[@]} -gt 0 ] || nbs=(notebooks/*.ipynb)
  $PY - "${nbs[@]}" <<'PY'
import json, sys
bad = 0
for path in sys.argv[1:]:
    nb = json.load(open(path, encoding="utf-8"))
    ks = nb.get("metadata", {}).get("kernelspec", {})
    if ks.get("name") != "java":
        print(f"{path}: kernelspec name is {ks.get('name')!r}, must be 'java' (IJava's)"); bad += 1
    for i, c in enumerate(nb.get("cells", [])):
        if c.get("cell_type") != "code":
            continue
        if c.get("outputs") or c.get("execution_count") is not None:
            print(f"{path}: cell {i + 1} has outputs or an execution count; run scripts/notebooks.sh strip {path}")
            bad += 1
sys.exit(1 if bad else 0)
PY
}

strip() {
  local nbs=("$@"); [ ${#nbs[@]} -gt 0 ] || nbs=(notebooks/*.ipynb)
  $PY - "${nbs[@]}" <<'PY'
import json, sys
for path in sys.argv[1:]:
    nb = json.load(open(path, encoding="utf-8"))
    for c in nb.get("cells", []):
        if c.get("cell_type") == "code":
            c["outputs"] = []
            c["execution_count"] = None
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"stripped {path}")
PY
}

# An executed notebook must hold at least one image/png output; prints its accuracy lines.
verify() {
  $PY - "$1" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
pngs = 0
for c in nb["cells"]:
    for o in c.get("outputs", []):
        if "image/png" in o.get("data", {}):
            pngs += 1
        text = o.get("text", "") if o.get("output_type") == "stream" else o.get("data", {}).get("text/plain", "")
        text = "".join(text) if isinstance(text, list) else text
        for line in text.splitlines():
            if "accuracy" in line.lower():
                print("    " + line)
print(f"    {pngs} image/png output(s)")
sys.exit(0 if pngs > 0 else 1)
PY
}

run() {
  local nbs=("$@"); [ ${#nbs[@]} -gt 0 ] || nbs=(notebooks/*.ipynb)
  check "${nbs[@]}"
  lib
  kernel
  rm -rf "$OUT" && mkdir -p "$OUT"
  local failed=0 passed=0
  for nb in "${nbs[@]}"; do
    local name log t0 details=""
    name=$(basename "$nb" .ipynb); log="$OUT/$name.log"; t0=$SECONDS
    if JUPYTER_PATH="$JUPYTER_DIR" /usr/bin/jupyter nbconvert --to notebook --execute \
         --ExecutePreprocessor.timeout=900 --output-dir "$OUT" "$nb" > "$log" 2>&1 \
       && details=$(verify "$OUT/$name.ipynb"); then
      passed=$((passed + 1)); echo "notebook ok:     $nb ($((SECONDS - t0)) s)"
      echo "$details"
    else
      failed=$((failed + 1)); echo "notebook FAILED: $nb ($((SECONDS - t0)) s; log: $log)"
      if [ -n "$details" ]; then echo "$details"; echo "    no image/png output"; else grep -v '^\[20' "$log" | tail -25; fi
    fi
  done
  echo "notebooks: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

cmd=${1:-run}; shift || true
case "$cmd" in
  lib|kernel|check|strip|run) "$cmd" "$@" ;;
  packages) echo "${DEBS[*]}" ;;
  *) echo "usage: scripts/notebooks.sh lib|kernel|check|strip|run|packages [NOTEBOOK...]" >&2; exit 2 ;;
esac
