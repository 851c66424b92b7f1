#!/usr/bin/env bash
# The README's test command: the whole test suite, offline (DJL never downloads), on CPU.
# In CI (CI=true, root) it first installs the data the tests read from the registries:
# Fashion-MNIST from Debian's dataset-fashion-mnist (the committed MNIST needs nothing).
# After the unit tests it executes every notebook headlessly (scripts/notebooks.sh run; set
# SLTK_SKIP_NOTEBOOKS=true to skip that step locally).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = "true" ] && [ ! -d datasets/fashion-mnist ] && [ "$(id -u)" = 0 ]; then
  bash scripts/install-data.sh fashion-mnist || echo "test.sh: Fashion-MNIST not installed; its tests will say they are skipped"
fi
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
mvn -B test "$@"
if [ "${SLTK_SKIP_NOTEBOOKS:-}" != "true" ]; then
  bash scripts/notebooks.sh run
fi
