#!/usr/bin/env bash
# Lints docker/Dockerfile and docker/Dockerfile.cuda with dockerfilelint (npm), installed under
# target/ on first use. No Docker engine is needed (or present on the CI machines).
set -euo pipefail
cd "$(dirname "$0")/.."
tool=target/dockerfilelint/node_modules/.bin/dockerfilelint
if [ ! -x "$tool" ]; then
  npm install --silent --no-audit --no-fund --prefix target/dockerfilelint dockerfilelint@1.8.0 >/dev/null
fi
"$tool" docker/Dockerfile docker/Dockerfile.cuda
