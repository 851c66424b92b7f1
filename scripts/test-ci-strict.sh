#!/usr/bin/env bash
# Tests scripts/test.sh's CI strictness in a few seconds, without apt-get, Maven or the network:
# each case copies test.sh and install-data.sh into a scratch project root next to stub
# notebooks.sh, torch-bridge.sh and container.sh, puts stub apt-get, dpkg, id, sudo, mvn and
# python3 first on PATH, sources test.sh (which then runs nothing) and calls one of its steps, or
# main. With CI=true an install that fails, a step that cannot run or a skipped test must fail
# with one line saying what; without CI a step that cannot run is skipped with a line saying why.
# Last, scripts/test-container.sh (scripts/container.sh itself, with stub podman) runs as one case.
#
#   scripts/test-ci-strict.sh        prints one line per case; exit 1 if any failed
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
n=0

# A fresh scratch root with stubs; the stubs read these variables (exported by run_case):
#   FAKE_UID (id -u), INSTALLED (packages dpkg -s knows), APT_RC, MVN_RC, MVN_SKIPPED (skipped
#   tests in the report the mvn stub writes), NB_RC, BRIDGE_RC, BRIDGE_SKIPPED, CT_RC (the
#   container.sh stub's exit status), CALLS (log file)
new_root() {
  n=$((n + 1))
  ROOT="$WORK/root$n"
  local bin="$ROOT/.stubs"
  mkdir -p "$ROOT/scripts" "$bin"
  cp "$HERE/scripts/test.sh" "$HERE/scripts/install-data.sh" "$ROOT/scripts/"
  cat > "$ROOT/scripts/notebooks.sh" <<'EOF'
#!/usr/bin/env bash
if [ "$1" = packages ]; then echo jupyter-nbconvert; exit 0; fi
echo "notebooks.sh $*" >> "$CALLS"; exit "${NB_RC:-0}"
EOF
  cat > "$ROOT/scripts/torch-bridge.sh" <<'EOF'
#!/usr/bin/env bash
echo "torch-bridge.sh $*" >> "$CALLS"
if [ "$1" = test ]; then
  mkdir -p target/surefire-reports
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="org.x.BridgeTest" tests="1" errors="0" skipped="%s" failures="0">\n  <testcase name="onBridge" classname="org.x.BridgeTest" time="0.1">\n%s  </testcase>\n</testsuite>\n' \
    "${BRIDGE_SKIPPED:-0}" "$([ "${BRIDGE_SKIPPED:-0}" = 0 ] || echo '    <skipped message="no bridge"/>')" > target/surefire-reports/TEST-org.x.BridgeTest.xml
fi
exit "${BRIDGE_RC:-0}"
EOF
  cat > "$ROOT/scripts/container.sh" <<'EOF'
#!/usr/bin/env bash
if [ "$1" = packages ]; then echo podman runc debootstrap; exit 0; fi
echo "container.sh $* (uid $(id -u))" >> "$CALLS"; exit "${CT_RC:-0}"
EOF
  printf '#!/bin/sh\necho "apt-get $*" >> "$CALLS"\nexit "${APT_RC:-0}"\n' > "$bin/apt-get"
  printf '#!/bin/sh\n[ "$1" = -u ] && { echo "${FAKE_UID:-1000}"; exit 0; }\nexec /usr/bin/id "$@"\n' > "$bin/id"
  printf '#!/bin/sh\necho "sudo $*" >> "$CALLS"\nexec "$@"\n' > "$bin/sudo"
  printf '#!/bin/sh\n[ "$1" = -s ] || exit 1\ncase " ${INSTALLED:-} " in *" $2 "*) exit 0 ;; esac\nexit 1\n' > "$bin/dpkg"
  printf '#!/bin/sh\nexit "${PY_TORCH_RC:-1}"\n' > "$bin/python3"
  cat > "$bin/mvn" <<'EOF'
#!/usr/bin/env bash
echo "mvn $*" >> "$CALLS"
mkdir -p target/surefire-reports
s="${MVN_SKIPPED:-0}"
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\"org.x.FooTest\" tests=\"2\" errors=\"0\" skipped=\"$s\" failures=\"0\">"
  echo '  <testcase name="runs" classname="org.x.FooTest" time="0.1"/>'
  echo '  <testcase name="needsData" classname="org.x.FooTest" time="0.0">'
  [ "$s" = 0 ] || echo '    <skipped type="org.opentest4j.TestAbortedException"><![CDATA[no data]]></skipped>'
  echo '  </testcase>'
  echo '</testsuite>'
} > target/surefire-reports/TEST-org.x.FooTest.xml
exit "${MVN_RC:-0}"
EOF
  chmod +x "$bin"/* "$ROOT"/scripts/*.sh
  CALLS="$ROOT/calls"
  : > "$CALLS"
}

# Fashion-MNIST already in place, so install-data.sh has nothing to do
fashion_present() {
  mkdir -p "$ROOT/datasets/fashion-mnist"
  local f
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    echo x > "$ROOT/datasets/fashion-mnist/$f.gz"
  done
}

# run_case NAME WANT_RC(0|fail) WANT_LAST_LINE_SUBSTRING SNIPPET [VAR=VALUE...]
# SNIPPET runs in a fresh bash after `source scripts/test.sh` (so it can replace the has_* probes).
# Checks the exit status and the last line of the output (stdout and stderr).
run_case() {
  local name="$1" want="$2" line="$3" snippet="$4"; shift 4
  local out rc=0
  out="$(cd "$ROOT" && env -i HOME="$HOME" PATH="$ROOT/.stubs:/usr/bin:/bin" CALLS="$CALLS" "$@" \
    bash -c "source scripts/test.sh; $snippet" 2>&1)" || rc=$?
  local last; last="$(printf '%s\n' "$out" | tail -1)"
  local ok=1
  if [ "$want" = 0 ]; then [ "$rc" -eq 0 ] || ok=0; else [ "$rc" -ne 0 ] || ok=0; fi
  [[ "$last" == *"$line"* ]] || ok=0
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: rc=$rc (want ${want}), last line: $last"
    echo "     want a last line containing: $line"
    printf '%s\n' "$out" | sed 's/^/     | /' | tail -15
  fi
}

# check NAME CONDITION...: an extra assertion on the last case (e.g. what the stubs were called with)
check() {
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
called() { grep -q -- "$1" "$CALLS"; }
not_called() { ! grep -q -- "$1" "$CALLS"; }

NO_NB='has_nbconvert() { return 1; }; has_second_libtorch() { return 1; }; has_container_tools() { return 1; };'
ALL='has_nbconvert() { return 0; }; has_second_libtorch() { return 0; }; has_container_tools() { return 0; };'
CT='podman runc debootstrap'
DEBS="INSTALLED=libtorch-dev python3-torch jupyter-nbconvert $CT dataset-fashion-mnist"

# ---------------------------------------------------------------------------------- installs
new_root
run_case "install: without CI nothing is installed" 0 "" 'install_ci; echo done' FAKE_UID=0
check "install: without CI apt-get is not called" not_called apt-get

new_root; fashion_present
run_case "install: CI with everything installed does nothing" 0 "" 'install_ci; echo done' CI=true FAKE_UID=0 "$DEBS"
check "install: CI with everything installed calls no apt-get" not_called apt-get

new_root; fashion_present
run_case "install: CI installs what is missing" 0 "" 'install_ci; echo done' CI=true FAKE_UID=0 INSTALLED=python3-torch
check "install: CI installs exactly the missing packages" \
  called "apt-get install -y -qq --no-install-recommends libtorch-dev jupyter-nbconvert podman runc debootstrap$"

new_root; fashion_present
run_case "install: CI, apt-get fails: the run fails with one line" fail \
  "test.sh: FAILED: could not install the Debian packages libtorch-dev (apt-get install)" \
  'install_ci; echo "went on"' CI=true FAKE_UID=0 INSTALLED="python3-torch jupyter-nbconvert $CT" APT_RC=100

new_root; fashion_present
run_case "install: CI without root uses sudo, and its failure fails the run" fail \
  "test.sh: FAILED: could not install the Debian packages python3-torch (sudo apt-get install)" \
  'install_ci; echo "went on"' CI=true FAKE_UID=1000 INSTALLED="libtorch-dev jupyter-nbconvert $CT" APT_RC=100
check "install: CI without root called apt-get through sudo" called "sudo apt-get"

new_root
run_case "install: CI, Fashion-MNIST cannot be installed: the run fails with one line" fail \
  "test.sh: FAILED: could not install Fashion-MNIST (scripts/install-data.sh fashion-mnist)" \
  'install_ci; echo "went on"' CI=true FAKE_UID=0 INSTALLED="libtorch-dev python3-torch jupyter-nbconvert" APT_RC=100

# --------------------------------------------------------------------------------- notebooks
new_root
run_case "notebooks: locally without nbconvert and root: skipped with the reason" 0 \
  "test.sh: notebooks step skipped: Jupyter's nbconvert is not installed and installing it needs root" \
  "$NO_NB notebooks" FAKE_UID=1000
check "notebooks: skipped locally, notebooks.sh run not called" not_called "notebooks.sh run"

new_root
run_case "notebooks: CI without nbconvert fails" fail \
  "test.sh: FAILED: notebooks step cannot run under CI=true, where nothing may be skipped: Jupyter's nbconvert is not installed" \
  "$NO_NB notebooks; echo 'went on'" CI=true FAKE_UID=1000

new_root
run_case "notebooks: SLTK_SKIP_NOTEBOOKS=true locally: skipped" 0 "test.sh: notebooks step skipped: SLTK_SKIP_NOTEBOOKS=true" \
  "$ALL notebooks" SLTK_SKIP_NOTEBOOKS=true
new_root
run_case "notebooks: SLTK_SKIP_NOTEBOOKS=true under CI fails" fail \
  "test.sh: FAILED: notebooks step cannot run under CI=true, where nothing may be skipped: SLTK_SKIP_NOTEBOOKS=true" \
  "$ALL notebooks; echo 'went on'" CI=true SLTK_SKIP_NOTEBOOKS=true

new_root
run_case "notebooks: a failing notebook fails the run" fail "test.sh: FAILED: notebooks step (logs in target/notebooks-out/)" \
  "$ALL notebooks; echo 'went on'" NB_RC=1

# ------------------------------------------------------------------------------------ bridge
new_root
run_case "bridge: locally without a second libtorch: skipped with the reason" 0 \
  "test.sh: bridge step skipped: no second libtorch installed (apt-get install libtorch-dev)" "$NO_NB bridge"
check "bridge: skipped locally, torch-bridge.sh not called" not_called "torch-bridge.sh"

new_root
run_case "bridge: CI without a second libtorch fails" fail \
  "test.sh: FAILED: bridge step cannot run under CI=true, where nothing may be skipped: no second libtorch installed" \
  "$NO_NB bridge; echo 'went on'" CI=true

new_root
run_case "bridge: SLTK_SKIP_BRIDGE=true under CI fails" fail \
  "test.sh: FAILED: bridge step cannot run under CI=true, where nothing may be skipped: SLTK_SKIP_BRIDGE=true" \
  "$ALL bridge; echo 'went on'" CI=true SLTK_SKIP_BRIDGE=true

new_root
run_case "bridge: a test skipped in the bridge pass fails CI, named" fail \
  "test.sh: FAILED: 1 test(s) skipped under CI=true, where nothing may be skipped: org.x.BridgeTest.onBridge" \
  "$ALL bridge; echo 'went on'" CI=true BRIDGE_SKIPPED=1
check "bridge: the main job is not run after a failed bridge test pass" not_called "torch-bridge.sh mainjob"

new_root
run_case "bridge: CI with the bridge runs build, test and mainjob" 0 "done" "$ALL bridge; echo done" CI=true
check "bridge: build, test, mainjob in order" \
  test "$(cat "$CALLS" | paste -sd ' ')" = "torch-bridge.sh build torch-bridge.sh test torch-bridge.sh mainjob"

# --------------------------------------------------------------------------------- container
new_root
run_case "container: locally without podman: skipped with the reason" 0 \
  "test.sh: container step skipped: podman, runc or debootstrap is not installed (apt-get install podman runc debootstrap)" \
  "$NO_NB container" FAKE_UID=0
check "container: skipped locally, container.sh check not called" not_called "container.sh check"

new_root
run_case "container: CI without podman fails" fail \
  "test.sh: FAILED: container step cannot run under CI=true, where nothing may be skipped: podman, runc or debootstrap is not installed" \
  "$NO_NB container; echo 'went on'" CI=true FAKE_UID=0

new_root
run_case "container: SLTK_SKIP_CONTAINER=true locally: skipped" 0 "test.sh: container step skipped: SLTK_SKIP_CONTAINER=true" \
  "$ALL container" SLTK_SKIP_CONTAINER=true FAKE_UID=0
check "container: SLTK_SKIP_CONTAINER=true, container.sh check not called" not_called "container.sh check"
new_root
run_case "container: SLTK_SKIP_CONTAINER=true under CI fails" fail \
  "test.sh: FAILED: container step cannot run under CI=true, where nothing may be skipped: SLTK_SKIP_CONTAINER=true" \
  "$ALL container; echo 'went on'" CI=true SLTK_SKIP_CONTAINER=true FAKE_UID=0

new_root
run_case "container: locally without root: skipped with the reason" 0 \
  "test.sh: container step skipped: it needs root (debootstrap, podman's storage): sudo scripts/container.sh" \
  "$ALL container" FAKE_UID=1000
check "container: skipped without root, container.sh check not called" not_called "container.sh check"

new_root
run_case "container: CI without root runs it through sudo" 0 "done" "$ALL container; echo done" CI=true FAKE_UID=1000
check "container: CI without root called sudo bash scripts/container.sh check" called "sudo bash scripts/container.sh check"

new_root
run_case "container: CI, not root, the packages installed but debootstrap off the user's PATH (/usr/sbin): runs through sudo" 0 "done" \
  "container; echo done" CI=true FAKE_UID=1000 INSTALLED="$CT"
check "container: dpkg's packages count as installed, sudo bash scripts/container.sh check called" \
  called "sudo bash scripts/container.sh check"

new_root
run_case "container: as root it runs scripts/container.sh check" 0 "done" "$ALL container; echo done" FAKE_UID=0
check "container: as root container.sh check ran, without sudo" \
  test "$(paste -sd ' ' "$CALLS")" = "container.sh check (uid 0)"

new_root
run_case "container: a failing container run fails the run with one line" fail \
  "test.sh: FAILED: container step: scripts/container.sh check (logs in /var/cache/sltk-container/logs/)" \
  "$ALL container; echo 'went on'" FAKE_UID=0 CT_RC=1
new_root
run_case "container: a failing container run under CI, through sudo, too" fail \
  "test.sh: FAILED: container step: sudo scripts/container.sh check (logs in /var/cache/sltk-container/logs/)" \
  "$ALL container; echo 'went on'" CI=true FAKE_UID=1000 CT_RC=1

# ------------------------------------------------------------------------- surefire reports
new_root
run_case "reports: a skipped test fails CI, named" fail \
  "test.sh: FAILED: 1 test(s) skipped under CI=true, where nothing may be skipped: org.x.FooTest.needsData" \
  "unit_tests; echo 'went on'" CI=true MVN_SKIPPED=1
new_root
run_case "reports: locally a skipped test is listed and the run goes on" 0 "went on" \
  "unit_tests; echo 'went on'" MVN_SKIPPED=1
new_root
mkdir -p "$ROOT/target/surefire-reports"
printf '<testsuite name="org.x.FooTest" tests="1" errors="0" skipped="1" failures="0">\n  <testcase name="runs" classname="org.x.FooTest" time="0.1"/>\n</testsuite>\n' \
  > "$ROOT/target/surefire-reports/TEST-org.x.FooTest.xml"
run_case "reports: a suite that counts skips it does not list still fails CI" fail \
  "target/surefire-reports/TEST-org.x.FooTest.xml: 1 skipped" "check_reports" CI=true
new_root
run_case "reports: no reports at all fails" fail "test.sh: FAILED: no test reports in target/surefire-reports after mvn test" \
  "check_reports" CI=true

# -------------------------------------------------------------------------------- whole runs
new_root; fashion_present
run_case "main: CI, an install fails: the run stops before the tests" fail \
  "test.sh: FAILED: could not install the Debian packages libtorch-dev python3-torch jupyter-nbconvert podman runc debootstrap (apt-get install)" \
  "$ALL main" CI=true FAKE_UID=0 APT_RC=100
check "main: CI, an install failed: mvn never ran" not_called "mvn"

new_root; fashion_present
run_case "main: CI, every step runs, a skipped test fails the run" fail \
  "test.sh: FAILED: 1 test(s) skipped under CI=true, where nothing may be skipped: org.x.FooTest.needsData" \
  "$ALL main" CI=true FAKE_UID=0 "$DEBS" MVN_SKIPPED=1

new_root; fashion_present
run_case "main: CI, everything installed and nothing skipped: green" 0 "container.sh check (uid 0)" \
  "$ALL main; cat \"\$CALLS\" | tail -1" CI=true FAKE_UID=0 "$DEBS"
check "main: CI ran mvn verify, the notebooks, the bridge and the container" \
  test "$(grep -c -e '^mvn -B verify' -e '^notebooks.sh run' -e '^torch-bridge.sh ' -e '^container.sh check' "$CALLS")" = 6

new_root; fashion_present
run_case "main: CI, the container step fails: the run fails" fail \
  "test.sh: FAILED: container step: scripts/container.sh check" \
  "$ALL main" CI=true FAKE_UID=0 "$DEBS" CT_RC=1

new_root
run_case "main: locally, nothing to run the notebooks, bridge and container with: all skipped, green" 0 \
  "test.sh: container step skipped: podman, runc or debootstrap is not installed" "$NO_NB main" FAKE_UID=1000

# ------------------------------------------------------------- scripts/container.sh itself
ct_out="$(bash "$HERE/scripts/test-container.sh" 2>&1)"
check "scripts/test-container.sh (container.sh with stub podman): $(printf '%s\n' "$ct_out" | tail -1)" \
  grep -q "^test-container.sh: [0-9]* passed, 0 failed$" <<< "$ct_out"
grep '^FAIL' <<< "$ct_out" | sed 's/^/     | /'

echo "test-ci-strict.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
