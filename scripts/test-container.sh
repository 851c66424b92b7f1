#!/usr/bin/env bash
# Tests scripts/container.sh in a second, without podman, root or the network: each case copies it
# and golden.properties into a scratch project root, puts stub id, podman, runc, debootstrap and
# lscpu first on PATH and runs it. The podman stub keeps the images it "has" as files, and its
# `run` writes the run directory the real image would (config.json's maskDigest and the printed
# 'mask digest' line, each settable). Checks: the one-line errors before any work (root, tools,
# golden.properties), that a digest differing from main.digest (recorded or printed), a failed or
# missing run and a failed build each fail, and what podman is called with.
# scripts/test-ci-strict.sh runs it (and so does mvn test, through TestCommandTest).
#
#   scripts/test-container.sh        prints one line per case; exit 1 if any failed
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
GOLD=4d18d78aea2186648a155b0de6752a1586b402184ebc47c7f96d375695bb4735
OTHER=0000000000000000000000000000000000000000000000000000000000000000
passed=0
failed=0
n=0

# The system tools container.sh and the stubs use, and nothing else: no podman, runc or
# debootstrap of this machine can be reached
SYS="$WORK/sys"
mkdir -p "$SYS"
for t in bash env dirname sed grep awk cat cut tail head date mkdir rm tar tee nproc tr touch paste; do
  ln -s "$(command -v "$t")" "$SYS/$t" || { echo "test-container.sh: $t not found"; exit 1; }
done

# A fresh scratch root; the stubs read these variables (exported by run_case): FAKE_UID,
# DEBOOT_RC, OVERLAY_RC (podman info with overlay), BUILD_FAIL (an image name whose build
# fails), BUILD_LOG (what that build prints), RUN_RC, RUN_DIGEST (recorded; "none": no
# config.json), PRINT_DIGEST (printed), CALLS (log file), STATE (the stub's images)
new_root() {
  n=$((n + 1))
  ROOT="$WORK/root$n"
  BIN="$ROOT/.stubs"
  mkdir -p "$ROOT/scripts" "$ROOT/docker" "$ROOT/src/test/resources/org/sltk" "$BIN" "$ROOT/state"
  cp "$HERE/scripts/container.sh" "$ROOT/scripts/"
  cp "$HERE/docker/Dockerfile" "$HERE/docker/Dockerfile.debian" "$ROOT/docker/"
  printf '# golden\nmain.digest=%s\n' "$GOLD" > "$ROOT/src/test/resources/org/sltk/golden.properties"
  printf '#!/bin/sh\n[ "$1" = -u ] && { echo "${FAKE_UID:-0}"; exit 0; }\nexec /usr/bin/id "$@"\n' > "$BIN/id"
  printf '#!/bin/sh\necho "runc version 0-stub"\n' > "$BIN/runc"
  printf '#!/bin/sh\necho "Model name: Stub CPU"\n' > "$BIN/lscpu"
  cat > "$BIN/debootstrap" <<'EOF'
#!/usr/bin/env bash
echo "debootstrap $*" >> "$CALLS"
if [ "${DEBOOT_RC:-0}" != 0 ]; then echo "E: Failed getting release file $4/dists/bookworm/Release"; exit "$DEBOOT_RC"; fi
mkdir -p "$3/etc/apt" "$3/var/cache/apt/archives" "$3/var/lib/apt/lists"; echo base > "$3/etc/debian_version"
EOF
  cat > "$BIN/podman" <<'EOF'
#!/usr/bin/env bash
echo "podman $*" >> "$CALLS"
driver=""; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --root|--runroot) shift 2 ;;
    --storage-driver) driver="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
img() { echo "$STATE/$(echo "$1" | tr '/:' '__')"; }
case "$1" in
  --version) echo "podman version 0-stub" ;;
  info) [ "$driver" = overlay ] && [ "${OVERLAY_RC:-0}" != 0 ] && { echo "Error: overlay: mount failed"; exit 1; }; echo "store: ok" ;;
  import) cat > /dev/null; touch "$(img "${!#}")" ;;
  image)
    case "$2" in
      exists) [ -f "$(img "$3")" ] ;;
      inspect) echo 1073502605 ;;
      prune) ;;
    esac ;;
  build)
    t=""; prev=""
    for a in "$@"; do [ "$prev" = -t ] && t="$a"; prev="$a"; done
    if [ -n "${BUILD_FAIL:-}" ] && [ "$t" = "$BUILD_FAIL" ]; then printf '%b\n' "${BUILD_LOG:-Error: building}"; exit 1; fi
    touch "$(img "$t")" ;;
  run)
    vol=""; prev=""
    for a in "$@"; do [ "$prev" = -v ] && vol="${a%%:*}"; prev="$a"; done
    if [ "${RUN_DIGEST:-}" != none ]; then
      mkdir -p "$vol/lenet-d025"
      printf '{\n  "run": "runs/lenet-d025",\n  "maskDigest": "%s"\n}\n' "$RUN_DIGEST" > "$vol/lenet-d025/config.json"
    fi
    echo "ticket: 1,623,431 of 70,821,864 parameters kept (overall density 0.02292); mask digest ${PRINT_DIGEST:0:16}; pruned in 4.17s"
    exit "${RUN_RC:-0}" ;;
esac
EOF
  chmod +x "$BIN"/* "$ROOT/scripts/container.sh"
  CALLS="$ROOT/calls"
  : > "$CALLS"
}

# images the stub already has
has_images() { local i; for i in "$@"; do touch "$ROOT/state/$(echo "$i" | tr '/:' '__')"; done; }
BASE=localhost/sltk-debootstrap:bookworm

# run_case NAME WANT_RC WANT_LAST_LINE_SUBSTRING ARGS [VAR=VALUE...]: runs container.sh ARGS,
# checks the exit status and the last line; a failure must print exactly one ERROR line
run_case() {
  local name="$1" want="$2" line="$3" args="$4"; shift 4
  local out rc=0
  # shellcheck disable=SC2086
  out="$(cd "$ROOT" && "$SYS/env" -i HOME="$HOME" PATH="$BIN:$SYS" CALLS="$CALLS" STATE="$ROOT/state" \
    SLTK_CONTAINER_CACHE="$ROOT/cache" XDG_RUNTIME_DIR="$ROOT/run" RUN_DIGEST="$GOLD" PRINT_DIGEST="$GOLD" \
    SLTK_CONTAINER_CACERTS=none "$@" scripts/container.sh $args 2>&1)" || rc=$?
  LAST_OUT="$out"
  local last; last="$(printf '%s\n' "$out" | tail -1)"
  local ok=1
  [ "$rc" -eq "$want" ] || ok=0
  [[ "$last" == *"$line"* ]] || ok=0
  if [ "$want" -ne 0 ] && [ "$(printf '%s\n' "$out" | grep -c 'ERROR')" -gt 1 ]; then ok=0; fi
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: rc=$rc (want $want), last line: $last"
    echo "     want a last line containing: $line"
    printf '%s\n' "$out" | sed 's/^/     | /' | tail -15
  fi
}
check() {
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
called() { grep -q -- "$1" "$CALLS"; }
not_called() { ! grep -q -- "$1" "$CALLS"; }

# ---------------------------------------------------------------------- before any work
new_root
run_case "not root: one line, nothing run" 1 "container.sh: ERROR: needs root (debootstrap, podman's storage and network): run sudo scripts/container.sh check" "" FAKE_UID=1000
check "not root: podman and debootstrap not called" test ! -s "$CALLS"

new_root; rm "$BIN/podman"
run_case "podman missing: one line naming the install" 1 "container.sh: ERROR: podman not installed (apt-get install podman runc debootstrap)" ""

new_root; rm "$BIN/runc" "$BIN/debootstrap"
run_case "runc and debootstrap missing: both named" 1 "container.sh: ERROR: runc debootstrap not installed (apt-get install podman runc debootstrap)" ""

new_root; rm "$ROOT/src/test/resources/org/sltk/golden.properties"
run_case "golden.properties missing: one line, nothing run" 1 \
  "container.sh: ERROR: src/test/resources/org/sltk/golden.properties not found" ""
check "golden.properties missing: nothing called" test ! -s "$CALLS"

new_root; printf 'main.digest=4d18\n' > "$ROOT/src/test/resources/org/sltk/golden.properties"
run_case "golden.properties without a 64-digit main.digest: one line" 1 \
  "container.sh: ERROR: src/test/resources/org/sltk/golden.properties has no main.digest=<64 hex digits> line" ""

new_root
run_case "unknown command: exit 2" 2 "container.sh: unknown command 'bogus'; use check, base, build, mainjob, packages or clean" "bogus"
new_root
run_case "packages: the Debian packages" 0 "podman runc debootstrap" "packages" FAKE_UID=1000

new_root
run_case "a trust store that is not there: one line" 1 "container.sh: ERROR: SLTK_CONTAINER_CACERTS: /nonexistent not found" "" \
  SLTK_CONTAINER_CACERTS=/nonexistent

# ------------------------------------------------------------------------------- check
new_root
run_case "check from nothing: base, build, main job, digest equal: ok" 0 "container.sh: ok: base " ""
check "check: the base made with debootstrap --variant=minbase bookworm" called "^debootstrap --variant=minbase bookworm .*/rootfs http://deb.debian.org/debian$"
check "check: the base imported" called "import --change .* - $BASE$"
check "check: overlay storage where it mounts" test "$(cat "$ROOT/cache/storage-driver")" = overlay
check "check: jdk and jre built on the base, nothing pulled" \
  test "$(grep -c -- "build --pull=never --layers -t localhost/sltk-debian-j[dr][ke]:bookworm -f docker/Dockerfile.debian --target j[dr][ke] --build-arg BASE_IMAGE=localhost/sltk-debootstrap --build-arg BASE_TAG=bookworm" "$CALLS")" = 2
check "check: docker/Dockerfile built with the Debian images as build arguments" \
  called "build --pull=never --layers -t localhost/sltk:cpu -f docker/Dockerfile --build-arg BUILD_IMAGE=localhost/sltk-debian-jdk --build-arg BUILD_TAG=bookworm --build-arg RUNTIME_IMAGE=localhost/sltk-debian-jre --build-arg RUNTIME_TAG=bookworm \.$"
check "check: the main job run without network, runs/ from the cache" \
  called "run --rm --network none -v $ROOT/cache/runs:/sltk/runs localhost/sltk:cpu$"
check "check: runc, no default ulimits, cgroupfs in the containers.conf" \
  test "$(grep -c -E '^(default_ulimits = \[\]|runtime = "runc"|cgroup_manager = "cgroupfs")$' "$ROOT/cache/containers.conf")" = 3
check "check: prints the image size and the digest" \
  grep -q "size 1074 MB (1073502605 bytes).*mask digest $GOLD = main.digest" <<< "$(printf '%s\n' "$LAST_OUT" | paste -sd ' ')"

new_root; has_images "$BASE"
run_case "check with the base cached: no debootstrap" 0 "container.sh: ok: base cached, build " ""
check "base cached: debootstrap not called" not_called "^debootstrap"

new_root
run_case "overlay cannot mount: vfs" 0 "container.sh: ok:" "" OVERLAY_RC=1
check "vfs recorded and used" test "$(cat "$ROOT/cache/storage-driver")" = vfs
check "vfs: the builds ran on vfs" called "storage-driver vfs build"

new_root; touch "$ROOT/cacerts"
run_case "a trust store given: mounted read-only for docker/Dockerfile's builds" 0 "container.sh: ok:" "" \
  SLTK_CONTAINER_CACERTS="$ROOT/cacerts"
check "trust store: mounted in both builds of docker/Dockerfile, not in Dockerfile.debian's" \
  test "$(grep -c -- "-v $ROOT/cacerts:/etc/ssl/certs/java/cacerts:ro .*-f docker/Dockerfile " "$CALLS")/$(grep -c -- "cacerts:ro .*-f docker/Dockerfile.debian" "$CALLS")" = "2/0"

# ---------------------------------------------------------------------------- failures
new_root; has_images "$BASE"
run_case "recorded digest differs from main.digest: fails, naming both" 1 \
  "container.sh: ERROR: mask digest $OTHER in the container differs from main.digest $GOLD in src/test/resources/org/sltk/golden.properties" \
  "" RUN_DIGEST="$OTHER"

new_root; has_images "$BASE"
run_case "printed digest differs from main.digest: fails" 1 \
  "container.sh: ERROR: printed mask digest 0000000000000000 differs from main.digest $GOLD" "" PRINT_DIGEST="$OTHER"

new_root; has_images "$BASE"
printf 'main.digest=%s\n' "$OTHER" > "$ROOT/src/test/resources/org/sltk/golden.properties"
run_case "golden.properties moved (another digest): the same run fails" 1 \
  "container.sh: ERROR: mask digest $GOLD in the container differs from main.digest $OTHER" ""

new_root; has_images "$BASE"
run_case "the main job exits non-zero: fails with its exit status" 1 \
  "container.sh: ERROR: the main job in the container exited with 3 (" "" RUN_RC=3

new_root; has_images "$BASE"
mkdir -p "$ROOT/cache/runs/lenet-d025"
printf '{"maskDigest": "%s"}\n' "$GOLD" > "$ROOT/cache/runs/lenet-d025/config.json"
run_case "no config.json written: fails, an earlier run's does not count" 1 \
  "container.sh: ERROR: the main job recorded no maskDigest in $ROOT/cache/runs/lenet-d025/config.json" "" RUN_DIGEST=none

new_root
run_case "debootstrap fails: one line with its error" 1 \
  "container.sh: ERROR: debootstrap failed (E: Failed getting release file http://deb.debian.org/debian/dists/bookworm/Release; log: " "" DEBOOT_RC=1
check "debootstrap failed: nothing built" not_called " build "

new_root; has_images "$BASE"
run_case "Maven fails in the build: one line with its first [ERROR] and the TLS hint" 1 \
  "container.sh: ERROR: podman build of localhost/sltk-build:cpu failed (TLS: the build's Java does not trust the certificate Maven Central presents (SLTK_CONTAINER_CACERTS); [ERROR] No plugin found for prefix 'dependency'" "" \
  BUILD_FAIL=localhost/sltk-build:cpu BUILD_LOG='[INFO] x\nCaused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed\n[ERROR] No plugin found for prefix '"'dependency'"'\n[ERROR] more\nError: building at STEP'
check "build failed: the main job not run" not_called " run --rm"

new_root
run_case "mainjob without an image: one line naming the fix" 1 "container.sh: ERROR: no image localhost/sltk:cpu (run scripts/container.sh build)" "mainjob"
new_root
run_case "build without a base: one line naming the fix" 1 "container.sh: ERROR: no base image $BASE (run scripts/container.sh base)" "build"

echo "test-container.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
