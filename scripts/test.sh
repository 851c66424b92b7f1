#!/usr/bin/env bash
# The README's test command: the whole test suite, offline (DJL never downloads), on CPU.
#  1. mvn verify (the tests, plus the format, lint and dependency checks of the build) with the
#     bundled libtorch 2.7.1 (pytorch-native-cpu from Maven Central);
#  2. every notebook executed headlessly (scripts/notebooks.sh run);
#  3. the suite again on a second libtorch, Debian's libtorch-dev, through sltk's own JNI bridge
#     (scripts/torch-bridge.sh), and the main job's masks compared with the 2.7.1 run;
#  4. the CPU container image built with podman from a debootstrap base and the main job run in
#     it, its mask digest checked against golden.properties (scripts/container.sh check, root:
#     about 5 minutes cold on 2 cores, 1-2 minutes with its cache; see the README's Container).
# In CI (CI=true) it first installs what these steps read from the registries: Fashion-MNIST
# (Debian dataset-fashion-mnist), Debian's libtorch-dev and python3-torch (for the bridge and for
# the check that Python's torch.jit.load accepts exported tickets), Jupyter's nbconvert (for
# the notebooks) and podman, runc and debootstrap (for the container), with sudo where not root.
#
# CI is strict: an install that fails, a step that cannot run, or a test that is skipped (the
# tests' org.sltk.TestRequirements fail instead of skipping, and the Surefire reports are checked)
# fails the run, with one line saying what. Locally a step that cannot run, or that
# SLTK_SKIP_NOTEBOOKS=true, SLTK_SKIP_BRIDGE=true or SLTK_SKIP_CONTAINER=true turns off, is
# skipped with a line saying why.
#
# Every step is a function; scripts/test-ci-strict.sh sources this file (which then runs nothing)
# and calls them with stubbed tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ci() { [ "${CI:-}" = "true" ]; }
is_root() { [ "$(id -u)" = 0 ]; }
say() { echo "test.sh: $*"; }
joined() { awk 'BEGIN { ORS = "" } { print (NR > 1 ? ", " : "") $0 } END { print "\n" }'; }
fail() { echo "test.sh: FAILED: $*" >&2; return 1; }

# A step that cannot run: skipped with the reason locally, a failure under CI=true.
skip() {
  if ci; then
    fail "$1 cannot run under CI=true, where nothing may be skipped: $2"
  else
    say "$1 skipped: $2"
  fi
}

has_nbconvert() { /usr/bin/python3 -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null; }
has_second_libtorch() {
  [ -f /usr/include/torch/csrc/api/include/torch/torch.h ] || python3 -c 'import torch' 2>/dev/null
}
# installed as Debian packages, or on the PATH: runc and debootstrap lie in /usr/sbin, which a
# user's PATH lacks (sudo's secure_path and root's PATH have it)
has_container_tools() {
  local c
  for c in $(bash scripts/container.sh packages); do
    dpkg -s "$c" >/dev/null 2>&1 || command -v "$c" >/dev/null 2>&1 || return 1
  done
}

# CI only: install Fashion-MNIST and the Debian packages the later steps need.
install_ci() {
  ci || return 0
  bash scripts/install-data.sh fashion-mnist \
    || { fail "could not install Fashion-MNIST (scripts/install-data.sh fashion-mnist)"; return 1; }
  local p need=() sudo=""
  # shellcheck disable=SC2207
  local debs=(libtorch-dev python3-torch $(bash scripts/notebooks.sh packages) $(bash scripts/container.sh packages))
  for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  [ ${#need[@]} -gt 0 ] || return 0
  is_root || sudo=sudo
  say "installing Debian packages: ${need[*]}"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } \
    || { fail "could not install the Debian packages ${need[*]} (${sudo:+sudo }apt-get install)"; return 1; }
}

# The Surefire reports of the last mvn test: under CI=true any skipped test fails the run; locally
# the skipped tests are listed. Prints nothing when none was skipped.
check_reports() {
  local dir=target/surefire-reports reports skipped
  reports="$(find "$dir" -name 'TEST-*.xml' 2>/dev/null | sort || true)"
  [ -n "$reports" ] || { fail "no test reports in $dir after mvn test"; return 1; }
  # one line per skipped test case (class.method), and a line per file whose testsuite counts
  # more skipped tests than it lists
  skipped="$(echo "$reports" | tr '\n' '\0' | xargs -0 awk '
    function attr(k) {
      if (match($0, " " k "=\"[^\"]*\"")) return substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 4)
      return ""
    }
    /<testsuite[ >]/ { n = attr("skipped"); if (n + 0 > 0) counted[FILENAME] = n + 0 }
    /<testcase[ >]/ { name = attr("name"); cls = attr("classname") }
    /<skipped/ { print cls "." name; listed[FILENAME]++ }
    END { for (f in counted) if (listed[f] + 0 < counted[f]) print f ": " counted[f] " skipped" }')"
  [ -n "$skipped" ] || return 0
  local n; n="$(echo "$skipped" | wc -l)"
  if ci; then
    fail "$n test(s) skipped under CI=true, where nothing may be skipped: $(echo "$skipped" | joined)"
  else
    say "$n test(s) skipped: $(echo "$skipped" | joined)"
  fi
}

unit_tests() {
  rm -rf target/surefire-reports
  mvn -B verify "$@"
  check_reports
}

notebooks() {
  if [ "${SLTK_SKIP_NOTEBOOKS:-}" = "true" ]; then
    skip "notebooks step" "SLTK_SKIP_NOTEBOOKS=true"; return
  fi
  if ! is_root && ! has_nbconvert; then
    skip "notebooks step" "Jupyter's nbconvert is not installed and installing it needs root (apt-get install $(bash scripts/notebooks.sh packages))"
    return
  fi
  bash scripts/notebooks.sh run || { fail "notebooks step (logs in target/notebooks-out/)"; return 1; }
}

bridge() {
  if [ "${SLTK_SKIP_BRIDGE:-}" = "true" ]; then
    skip "bridge step" "SLTK_SKIP_BRIDGE=true"; return
  fi
  if ! has_second_libtorch; then
    skip "bridge step" "no second libtorch installed (apt-get install libtorch-dev)"; return
  fi
  bash scripts/torch-bridge.sh build || { fail "bridge step: scripts/torch-bridge.sh build"; return 1; }
  rm -rf target/surefire-reports
  bash scripts/torch-bridge.sh test || { fail "bridge step: scripts/torch-bridge.sh test"; return 1; }
  check_reports
  bash scripts/torch-bridge.sh mainjob || { fail "bridge step: scripts/torch-bridge.sh mainjob"; return 1; }
}

# The CPU container image built and the main job run in it (scripts/container.sh check): needs
# podman, runc and debootstrap, and root (through sudo under CI=true; locally skipped without).
container() {
  if [ "${SLTK_SKIP_CONTAINER:-}" = "true" ]; then
    skip "container step" "SLTK_SKIP_CONTAINER=true"; return
  fi
  if ! has_container_tools; then
    skip "container step" "podman, runc or debootstrap is not installed (apt-get install $(bash scripts/container.sh packages))"
    return
  fi
  local sudo=""
  if ! is_root; then
    if ! ci; then
      skip "container step" "it needs root (debootstrap, podman's storage): sudo scripts/container.sh"; return
    fi
    sudo=sudo
  fi
  $sudo bash scripts/container.sh check \
    || { fail "container step: ${sudo:+sudo }scripts/container.sh check (logs in ${SLTK_CONTAINER_CACHE:-/var/cache/sltk-container}/logs/)"; return 1; }
}

main() {
  install_ci
  export DJL_OFFLINE=true OPT_OUT_TRACKING=true
  unit_tests "$@"
  notebooks
  bridge
  container
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
