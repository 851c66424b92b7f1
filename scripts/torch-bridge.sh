#!/usr/bin/env bash
# sltk's own JNI bridge for DJL 0.36.0 (native/, issue 12): build it against the libtorch a
# machine has, and run sltk with it instead of DJL's prebuilt libdjl_torch.so (which only works
# with libtorch 2.7.1). See docs/gpu.md, "Own JNI bridge".
#
#   scripts/torch-bridge.sh build [--torch DIR]   compile native/*.cc against libtorch DIR and put
#                                                 the result where DJL looks first; prints the env
#        DIR: a libtorch root with include/ and lib/ (a pip wheel's torch/ folder, an unpacked
#        libtorch zip), or /usr for Debian's libtorch-dev. Default: the torch Python imports
#        (python3 -c 'import torch') when its folder has lib/libtorch.so, else /usr.
#   scripts/torch-bridge.sh env                   print the environment for ./sltk with the bridge
#   scripts/torch-bridge.sh test [mvn args]       the test subset with the bridge, built with -Dcuda
#                                                 (no pytorch-native-cpu jar: no fallback to 2.7.1)
#   scripts/torch-bridge.sh mainjob               the main job with the bundled 2.7.1 and with the
#                                                 bridge; compares the mask digests and times
#   scripts/torch-bridge.sh natives               regenerate native/natives.txt from the test suite
#                                                 run with JNI binding logged
#   scripts/torch-bridge.sh header                (re)generate the JNI header from DJL's sources jar
#
# Outputs under target/torch-bridge/: sources/ (DJL's pytorch-engine sources jar, which Maven
# copies from its local repository, wherever settings.xml or -Dmaven.repo.local puts it),
# include/ (JNI header), obj/, cache/ (DJL_CACHE_DIR with
# pytorch/<version>-<flavor>-linux-x86_64/0.36.0-libdjl_torch.so), libtorch/ (links to a system
# libtorch, so DJL does not load every library of /usr/lib), lib/ (the runtime jars without
# pytorch-native-cpu), env.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${SLTK_BRIDGE_OUT:-$ROOT/target/torch-bridge}"
DJL_VERSION=0.36.0
HEADER=ai_djl_pytorch_jni_PyTorchLibrary.h
# these tests need no more than the bridge's natives; see docs/gpu.md for each exclusion
TEST_SUBSET="${SLTK_BRIDGE_TESTS:-org.sltk.**}"
TEST_EXCLUDE="${SLTK_BRIDGE_TEST_EXCLUDE:-}"
# every JVM started here (mvn test, ./sltk) gets the CPU kernel pins unless the user set them
# shellcheck source=scripts/cpu-kernels.sh
source "$ROOT/scripts/cpu-kernels.sh"

die() { echo "torch-bridge.sh: $*" >&2; exit 1; }
log() { echo "torch-bridge.sh: $*" >&2; }

# ------------------------------------------------------------------------------- header
java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/include/jni.h" ]; then echo "$JAVA_HOME"; return; fi
  local j
  j="$(readlink -f "$(command -v javac || command -v java || true)" 2>/dev/null || true)"
  [ -n "$j" ] || die "no Java found (set JAVA_HOME to a JDK or a jlinked runtime with include/jni.h)"
  dirname "$(dirname "$j")"
}

make_header() {
  mkdir -p "$OUT/include"
  if [ -f "$ROOT/native/include/$HEADER" ]; then   # the GPU bundle carries the header
    cp "$ROOT/native/include/$HEADER" "$OUT/include/$HEADER"; return
  fi
  # Maven copies the sources jar out of its local repository, wherever that is (settings.xml,
  # -Dmaven.repo.local in MAVEN_OPTS), downloading it from Maven Central first if needed
  local src="$OUT/sources/pytorch-engine-$DJL_VERSION-sources.jar"
  if [ ! -f "$src" ]; then
    log "resolving ai.djl.pytorch:pytorch-engine:$DJL_VERSION:sources with Maven (its local repository, else Maven Central)"
    (cd "$ROOT" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="ai.djl.pytorch:pytorch-engine:$DJL_VERSION:jar:sources" -DoutputDirectory="$OUT/sources" >&2) ||
      die "Maven could not resolve ai.djl.pytorch:pytorch-engine:$DJL_VERSION:jar:sources (see above)"
    [ -f "$src" ] || die "Maven resolved the sources jar but $src is not there"
  fi
  command -v javac >/dev/null || die "javac is needed to make the JNI header (or put it in native/include/)"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && unzip -q "$src" ai/djl/pytorch/jni/PyTorchLibrary.java &&
    javac -h "$OUT/include" -d classes ai/djl/pytorch/jni/PyTorchLibrary.java)
  rm -rf "$tmp"
  log "JNI header: $OUT/include/$HEADER ($(grep -c JNIEXPORT "$OUT/include/$HEADER") natives)"
}

# ------------------------------------------------------------------------------- torch
# sets TORCH_INC TORCH_LIB TORCH_VERSION TORCH_ABI TORCH_CUDA FLAVOR
find_torch() {
  local root="${1:-}"
  if [ -z "$root" ]; then
    local py
    py="$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))' 2>/dev/null || true)"
    if [ -n "$py" ] && [ -f "$py/lib/libtorch.so" ]; then root="$py"; else root=/usr; fi
  fi
  [ -d "$root" ] || die "--torch $root: no such folder"
  if [ -f "$root/lib/libtorch.so" ]; then
    TORCH_INC="$root/include"; TORCH_LIB="$root/lib"
  else
    TORCH_INC="$root/include"
    TORCH_LIB="$(dirname "$(find "$root/lib" "$root/lib64" -maxdepth 2 -name 'libtorch.so*' 2>/dev/null | head -1)")"
    [ "$TORCH_LIB" != . ] || die "no libtorch.so under $root/lib (Debian: apt-get install -y libtorch-dev)"
  fi
  [ -f "$TORCH_INC/ATen/ATen.h" ] || die "no ATen headers in $TORCH_INC (Debian: apt-get install -y libtorch-dev)"
  local vh="$TORCH_INC/torch/csrc/api/include/torch/version.h"
  [ -f "$vh" ] || vh="$TORCH_INC/torch/version.h"
  TORCH_VERSION="$(awk '/define TORCH_VERSION_(MAJOR|MINOR|PATCH)/{v=v (v?".":"") $3} END{print v}' "$vh" 2>/dev/null || true)"
  if [ "$root" = /usr ] && dpkg-query -W -f='${Version}' libtorch-dev >/dev/null 2>&1; then
    TORCH_VERSION="$(dpkg-query -W -f='${Version}' libtorch-dev | sed 's/[+~-].*//')"   # 1.13.1+dfsg-4 -> 1.13.1
  fi
  [ -n "$TORCH_VERSION" ] || die "cannot read the libtorch version from $vh"
  local c10; c10="$(ls "$TORCH_LIB"/libc10.so* | head -1)"
  if [ "$(nm -D --defined-only "$c10" 2>/dev/null | grep -c '__cxx11' || true)" -gt 0 ]; then TORCH_ABI=1; else TORCH_ABI=0; fi
  TORCH_CUDA=""
  if ls "$TORCH_LIB"/libtorch_cuda.so* >/dev/null 2>&1; then
    TORCH_CUDA="$(python3 -c 'import torch;print(torch.version.cuda or "")' 2>/dev/null || true)"
    [ -n "$TORCH_CUDA" ] || TORCH_CUDA="$(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p')"
    [ -n "$TORCH_CUDA" ] || die "libtorch_cuda found but no CUDA version (python torch or nvcc)"
    FLAVOR="cu$(echo "$TORCH_CUDA" | awk -F. '{print $1 $2}')"   # 13.0 -> cu130; must contain "cu"
  else
    FLAVOR=cpu
  fi
}

# --------------------------------------------------------------------------------- build
build() {
  local torch=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --torch) torch="$2"; shift 2 ;;
      *) die "build: unknown argument '$1'" ;;
    esac
  done
  find_torch "$torch"
  make_header
  local jh; jh="$(java_home)"
  local major minor std=17
  major="${TORCH_VERSION%%.*}"; minor="$(echo "$TORCH_VERSION" | cut -d. -f2)"
  if [ "$major" -gt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -ge 13 ]; }; then std=20; fi  # torch >= 2.13 needs C++20
  local cxx="${CXX:-g++}"
  local flags=(-O2 -std=c++$std -fPIC -fvisibility=hidden -D_GLIBCXX_USE_CXX11_ABI=$TORCH_ABI
    "-DSLTK_TORCH_VERSION=\"$TORCH_VERSION\"" -Wall -Wno-unused-variable
    -I"$ROOT/native" -I"$OUT/include" -I"$jh/include" -I"$jh/include/linux")
  [ "$TORCH_INC" = /usr/include ] || flags+=(-isystem "$TORCH_INC" -isystem "$TORCH_INC/torch/csrc/api/include")
  local libs=(-ltorch -ltorch_cpu -lc10)
  [ -z "$TORCH_CUDA" ] || libs+=(-ltorch_cuda -lc10_cuda)
  log "libtorch $TORCH_VERSION ($FLAVOR) headers $TORCH_INC, libraries $TORCH_LIB; C++$std, _GLIBCXX_USE_CXX11_ABI=$TORCH_ABI"
  mkdir -p "$OUT/obj"
  local t0=$SECONDS pids=() src obj
  for src in "$ROOT"/native/*.cc; do
    obj="$OUT/obj/$(basename "${src%.cc}").o"
    "$cxx" "${flags[@]}" -c "$src" -o "$obj" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "compile failed"; done
  local dest="$OUT/cache/pytorch/$TORCH_VERSION-$FLAVOR-linux-x86_64"
  mkdir -p "$dest"
  "$cxx" -shared -o "$dest/$DJL_VERSION-libdjl_torch.so" "$OUT"/obj/*.o -L"$TORCH_LIB" \
    -Wl,--no-as-needed "${libs[@]}" -Wl,--as-needed -Wl,-rpath,"$TORCH_LIB"
  log "built $dest/$DJL_VERSION-libdjl_torch.so in $((SECONDS - t0)) s"
  check_exports "$dest/$DJL_VERSION-libdjl_torch.so"
  # libtorch folder for PYTORCH_LIBRARY_PATH: DJL loads every *.so* under it, so a system
  # library folder gets a folder of links to the torch libraries only
  local libdir="$TORCH_LIB"
  case "$TORCH_LIB" in
    /usr/lib*|/lib*)
      libdir="$OUT/libtorch"; rm -rf "$libdir"; mkdir -p "$libdir"
      local n
      for n in c10 c10_cuda torch_cpu torch_cuda torch; do
        [ ! -e "$TORCH_LIB/lib$n.so" ] || ln -s "$(readlink -f "$TORCH_LIB/lib$n.so")" "$libdir/lib$n.so"
      done ;;
  esac
  # runtime jars without pytorch-native-cpu (and without DJL's JNI jar, which the bridge replaces)
  if [ -f "$ROOT/pom.xml" ] && [ ! -d "$ROOT/target/lib" ]; then
    log "mvn package (tests skipped) for target/lib"; (cd "$ROOT" && mvn -B -q -DskipTests package >&2)
  fi
  if [ -d "$ROOT/target/lib" ]; then
    rm -rf "$OUT/lib"; mkdir -p "$OUT/lib"
    find "$ROOT/target/lib" -name '*.jar' ! -name 'pytorch-native-*' ! -name 'pytorch-jni-*' -exec ln -s {} "$OUT/lib/" \;
  fi
  cat > "$OUT/env.sh" <<ENV
# environment for sltk with its own JNI bridge (scripts/torch-bridge.sh build)
export PYTORCH_LIBRARY_PATH='$libdir'
export PYTORCH_VERSION='$TORCH_VERSION'
export PYTORCH_FLAVOR='$FLAVOR'
export LD_LIBRARY_PATH='$TORCH_LIB'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export DJL_CACHE_DIR='$OUT/cache'
export DJL_OFFLINE=true
export OPT_OUT_TRACKING=true
export SLTK_BRIDGE='$dest/$DJL_VERSION-libdjl_torch.so'
export SLTK_LIB='$OUT/lib'
ENV
  show_env
}

# every native listed in native/natives.txt must be exported by the built bridge
check_exports() {
  local so="$1" missing
  missing="$(comm -23 <(grep -v '^#' "$ROOT/native/natives.txt" | awk '{print $2}' | sort -u) \
                      <(nm -D --defined-only "$so" | awk '{print $3}' | sort -u))"
  if [ -n "$missing" ]; then
    die "the bridge does not export these natives of native/natives.txt: $(echo $missing)"
  fi
  log "exports all $(grep -vc '^#' "$ROOT/native/natives.txt") natives of native/natives.txt"
}

show_env() {
  [ -f "$OUT/env.sh" ] || die "no bridge built yet: scripts/torch-bridge.sh build"
  echo "# run sltk with the bridge:  source $OUT/env.sh && ./sltk --version"
  grep '^export' "$OUT/env.sh"
}

# ------------------------------------------------------------------------------ natives
natives() {
  make_header
  local logs; logs="$(mktemp -d)"
  log "running the test suite with JNI binding logged ($logs); test failures do not stop the list"
  (cd "$ROOT" && JAVA_TOOL_OPTIONS="-Xlog:jni+resolve=debug:file=$logs/jni-%p.log" \
    DJL_OFFLINE=true OPT_OUT_TRACKING=true mvn -B -q test -Dtest="$TEST_SUBSET" "$@" >"$logs/mvn.out" 2>&1) ||
    log "mvn test failed (see $logs/mvn.out); the list holds what was bound"
  (cd "$ROOT" && mvn -B -q -DskipTests package >/dev/null 2>&1 &&
    JAVA_TOOL_OPTIONS="-Xlog:jni+resolve=debug:file=$logs/main-%p.log" SLTK_JAVA_OPTS=-Xmx8g \
    ./sltk prune --model models/lenet-300-100-mnist --density 0.25 --eps 1e-3 --out "$logs/run" >/dev/null 2>&1) ||
    log "the main job failed (see $logs)"
  local names; names="$(cat "$logs"/*.log | sed -n 's/.*PyTorchLibrary\.\([A-Za-z0-9_]*\) .*/\1/p' | sort -u)"
  [ -n "$names" ] || die "no PyTorchLibrary native was bound; see $logs"
  {
    echo "# PyTorchLibrary natives sltk binds (scripts/torch-bridge.sh natives: the test suite and the"
    echo "# main job run with -Xlog:jni+resolve). Columns: Java name, JNI symbol (from the javac -h header;"
    echo "# every overload of a bound name is listed, as the log does not tell overloads apart)."
    local n
    for n in $names; do
      grep -o "Java_ai_djl_pytorch_jni_PyTorchLibrary_${n}\(__[A-Za-z0-9_]*\)\?\b" "$OUT/include/$HEADER" |
        sort -u | sed "s/^/$n\t/"
    done
  } > "$ROOT/native/natives.txt"
  log "native/natives.txt: $(echo "$names" | wc -l) natives, $(grep -vc '^#' "$ROOT/native/natives.txt") JNI symbols"
  rm -rf "$logs"
}

# --------------------------------------------------------------------------------- test
run_tests() {
  [ -f "$OUT/env.sh" ] || die "no bridge built yet: scripts/torch-bridge.sh build"
  # shellcheck disable=SC1091
  source "$OUT/env.sh"
  local args=(-B -Dcuda -Ddjl.cache.dir="$DJL_CACHE_DIR" -Dtest="$TEST_SUBSET${TEST_EXCLUDE:+,$TEST_EXCLUDE}"
    -Dsurefire.failIfNoSpecifiedTests=false)
  log "mvn ${args[*]} test $* (pytorch-native-cpu left out by -Dcuda)"
  (cd "$ROOT" && SLTK_BRIDGE_REQUIRED=1 mvn "${args[@]}" test "$@")
}

# ------------------------------------------------------------------------------ mainjob
mainjob() {
  [ -f "$OUT/env.sh" ] || die "no bridge built yet: scripts/torch-bridge.sh build"
  cd "$ROOT"
  [ -f target/sltk.jar ] || mvn -B -q -DskipTests package
  local job=(prune --model models/lenet-300-100-mnist --density 0.25 --eps 1e-3 --no-eval)
  local t0 t1 t2
  rm -rf "$OUT/run" "$OUT/run-2.7.1"
  log "main job with DJL's bundled libtorch 2.7.1"
  t0=$(date +%s.%N)
  (unset PYTORCH_LIBRARY_PATH PYTORCH_VERSION PYTORCH_FLAVOR DJL_CACHE_DIR SLTK_LIB
   ./sltk --version && ./sltk "${job[@]}" --out "$OUT/run-2.7.1")
  t1=$(date +%s.%N)
  log "main job with the bridge"
  (source "$OUT/env.sh" && ./sltk --version && ./sltk "${job[@]}" --out "$OUT/run")
  t2=$(date +%s.%N)
  local d1 d2
  d1="$(digest "$OUT/run-2.7.1")"; d2="$(digest "$OUT/run")"
  printf 'bundled 2.7.1: %s  %.1f s\nbridge:        %s  %.1f s\n' "$d1" "$(awk "BEGIN{print $t1 - $t0}")" "$d2" "$(awk "BEGIN{print $t2 - $t1}")"
  [ "$d1" = "$d2" ] || die "mask digests differ"
  echo "mask digests identical"
}

digest() {
  sed -n 's/.*"maskDigest" *: *"\([0-9a-f]*\)".*/\1/p' "$1/config.json" | head -1
}

cmd="${1:-}"; [ $# -eq 0 ] || shift
case "$cmd" in
  build) build "$@" ;;
  env) show_env ;;
  test) run_tests "$@" ;;
  mainjob) mainjob ;;
  natives) natives "$@" ;;
  header) make_header ;;
  -h|--help|"") sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$cmd'; use build, env, test, mainjob, natives or header" ;;
esac
