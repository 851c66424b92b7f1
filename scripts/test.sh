#!/usr/bin/env bash
# The README's test command: the whole test suite, offline (DJL never downloads), on CPU.
#  1. mvn test with the bundled libtorch 2.7.1 (pytorch-native-cpu from Maven Central);
#  2. every notebook executed headlessly (scripts/notebooks.sh run);
#  3. the suite again on a second libtorch, Debian's libtorch-dev, through sltk's own JNI bridge
#     (scripts/torch-bridge.sh), and the main job's masks compared with the 2.7.1 run.
# In CI (CI=true, root) it first installs what these steps read from the registries: Fashion-MNIST
# (Debian dataset-fashion-mnist), Debian's libtorch-dev and python3-torch (for the bridge and for
# the check that Python's torch.jit.load accepts exported tickets).
# Locally, SLTK_SKIP_NOTEBOOKS=true or SLTK_SKIP_BRIDGE=true skip steps 2 or 3.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ]; then
  [ -d datasets/fashion-mnist ] || bash scripts/install-data.sh fashion-mnist \
    || echo "test.sh: Fashion-MNIST not installed; its tests will say they are skipped"
  need=()
  for p in libtorch-dev python3-torch; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || echo "test.sh: could not install ${need[*]}; the steps that need them will say so"
  fi
fi
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
mvn -B test "$@"
if [ "${SLTK_SKIP_NOTEBOOKS:-}" != "true" ]; then
  if [ "$(id -u)" = 0 ] || /usr/bin/python3 -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null; then
    bash scripts/notebooks.sh run
  else
    echo "test.sh: notebooks step skipped: Jupyter's nbconvert is not installed and installing it needs root (apt-get install jupyter-nbconvert jupyter-client python3-jupyter-client)"
  fi
fi
if [ "${SLTK_SKIP_BRIDGE:-}" != "true" ]; then
  if [ -f /usr/include/torch/csrc/api/include/torch/torch.h ] || python3 -c 'import torch' 2>/dev/null; then
    bash scripts/torch-bridge.sh build
    bash scripts/torch-bridge.sh test
    bash scripts/torch-bridge.sh mainjob
  else
    echo "test.sh: no second libtorch installed (apt-get install libtorch-dev); bridge step skipped"
  fi
fi
