#!/usr/bin/env bash
# Lints docker/Dockerfile, docker/Dockerfile.debian and docker/Dockerfile.cuda with dockerfilelint
# (npm), installed under target/ on first use. No container engine is needed. The CPU image is also
# built and run for real by scripts/container.sh (podman); the CUDA one is only linted here.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=target/dockerfilelint/node_modules/.bin/dockerfilelint
if [ ! -x "$tool" ]; then
  npm install --silent --no-audit --no-fund --prefix target/dockerfilelint dockerfilelint@1.8.0 >/dev/null
fi
"$tool" docker/Dockerfile docker/Dockerfile.debian docker/Dockerfile.cuda
