#!/usr/bin/env bash
# Packs what a machine with no Java and no internet (the GPU test machine: Python torch with
# CUDA, g++, nvcc) needs to build sltk's own JNI bridge there and run the main job with it:
#
#   runtime/     a jlinked Java 17 (java.base, java.desktop, java.logging, java.management,
#                java.xml, jdk.management, jdk.unsupported), with include/jni.h for the bridge's compile
#   target/      sltk.jar and its runtime jars WITHOUT pytorch-native-cpu and pytorch-jni
#   native/      the bridge's C++ and natives.txt, plus include/ with the JNI header (javac -h)
#   scripts/torch-bridge.sh, sltk (launcher), models/lenet-300-100-mnist, datasets/mnist
#   run.sh       builds the bridge against the torch Python imports and runs the main job,
#                keeping diagnostics under diag/ and checking the mask digest made here
#
#   scripts/gpu-bundle.sh [OUT.tar.gz]     (default target/sltk-gpu-bundle.tar.gz; limit 64 MiB)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-$ROOT/target/sltk-gpu-bundle.tar.gz}"
LIMIT=$((64 * 1024 * 1024))
STAGE="$ROOT/target/gpu-bundle"
B="$STAGE/sltk-gpu"
log() { echo "gpu-bundle.sh: $*" >&2; }

[ -f target/sltk.jar ] && [ -d target/lib ] || { log "mvn package (tests skipped)"; mvn -B -q -DskipTests package >&2; }
scripts/torch-bridge.sh header >/dev/null
rm -rf "$STAGE"; mkdir -p "$B/target/lib" "$B/native/include" "$B/scripts" "$B/models" "$B/datasets"

JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}"
log "jlink from $JAVA_HOME"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.xml,jdk.management,jdk.unsupported \
  --strip-debug --no-man-pages --compress=0 --output "$B/runtime"
[ -f "$B/runtime/include/jni.h" ] || { log "the runtime has no include/jni.h"; exit 1; }

cp target/sltk.jar "$B/target/"
find target/lib -name '*.jar' ! -name 'pytorch-native-*' ! -name 'pytorch-jni-*' -exec cp {} "$B/target/lib/" \;
cp native/*.cc native/*.h native/natives.txt "$B/native/"
cp target/torch-bridge/include/ai_djl_pytorch_jni_PyTorchLibrary.h "$B/native/include/"
cp scripts/torch-bridge.sh scripts/cpu-kernels.sh "$B/scripts/"
cp sltk "$B/"
cp -r models/lenet-300-100-mnist "$B/models/"
cp -r datasets/mnist "$B/datasets/"
# the digest of the same job on a CPU: the golden one the tests pin (libtorch 2.7.1 and the
# bridge on 1.13.1 agree with it)
sed -n 's/^main.digest=//p' src/test/resources/org/sltk/golden.properties > "$B/EXPECTED_DIGEST"
cp scripts/gpu-check.sh "$B/scripts/"

cat > "$B/run.sh" <<'RUN'
#!/usr/bin/env bash
# Builds sltk's own JNI bridge against this machine's libtorch (default: the torch Python
# imports; or run.sh --torch DIR) and runs the main job with it. Diagnostics go to diag/.
set -uo pipefail
B="$(cd "$(dirname "$0")" && pwd)"; cd "$B"
export JAVA_HOME="$B/runtime" PATH="$B/runtime/bin:$PATH"
mkdir -p diag
{
  python3 -c 'import torch,os;print("torch", torch.__version__, "cuda", torch.version.cuda, "cxx11abi", torch._C._GLIBCXX_USE_CXX11_ABI, os.path.dirname(torch.__file__))'
  T="$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')"
  ls -la "$T/lib"; ls -d "$T/include" "$T/share/cmake/Torch"
  for l in libtorch.so libtorch_cuda.so libc10.so; do readelf -d "$T/lib/$l" | grep -E 'SONAME|NEEDED|RUNPATH'; done
  ldconfig -p | grep -E 'cudart|libz.so.1'; g++ --version | head -1; nvcc --version | tail -2; ldd --version | head -1
  nvidia-smi -L
} > diag/machine.txt 2>&1
echo "== build" | tee diag/build.txt
SECONDS=0
scripts/torch-bridge.sh build "$@" 2>&1 | tee -a diag/build.txt
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "run.sh: bridge build failed; first errors:"; grep -m50 -E 'error|Error' diag/build.txt; exit 1; }
echo "build: ${SECONDS}s" | tee -a diag/build.txt
source target/torch-bridge/env.sh
./sltk --version 2>&1 | tee diag/version.txt
SECONDS=0
SLTK_LOG=info ./sltk prune --model models/lenet-300-100-mnist --density 0.25 --eps 1e-3 --no-eval \
  --device auto --out runs/gpu 2>&1 | tee diag/mainjob.txt
rc=${PIPESTATUS[0]}; echo "main job: rc=$rc, ${SECONDS}s" | tee -a diag/mainjob.txt
got="$(sed -n 's/.*"maskDigest" *: *"\([0-9a-f]*\)".*/\1/p' runs/gpu/config.json 2>/dev/null | head -1)"
want="$(cat EXPECTED_DIGEST 2>/dev/null)"
echo "mask digest $got (build machine: $want)" | tee -a diag/mainjob.txt
ls hs_err_pid*.log 2>/dev/null && head -60 hs_err_pid*.log > diag/hs_err.txt
[ "$rc" -eq 0 ] && [ -n "$got" ] && [ "$got" = "$want" ]
RUN
chmod +x "$B/run.sh"

mkdir -p "$(dirname "$OUT")"
tar -C "$STAGE" -czf "$OUT" sltk-gpu
size=$(stat -c %s "$OUT")
printf 'gpu-bundle.sh: %s: %d bytes (%.1f MiB packed, %s unpacked; limit 64 MiB)\n' "$OUT" "$size" \
  "$(awk "BEGIN{print $size / 1048576}")" "$(du -sh "$B" | cut -f1)"
[ "$size" -le "$LIMIT" ] || { echo "gpu-bundle.sh: over the 64 MiB limit" >&2; exit 1; }
