#!/usr/bin/env bash
# The README's test command: the whole test suite, offline (DJL never downloads), on CPU.
# In CI (CI=true, root) it first installs the data the tests read from the registries:
# Fashion-MNIST from Debian's dataset-fashion-mnist (the committed MNIST needs nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = "true" ] && [ ! -d datasets/fashion-mnist ] && [ "$(id -u)" = 0 ]; then
  bash scripts/install-data.sh fashion-mnist || echo "test.sh: Fashion-MNIST not installed; its tests will say they are skipped"
fi
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
mvn -B test "$@"
