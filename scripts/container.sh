#!/usr/bin/env bash
# Builds the CPU container image (docker/Dockerfile) with podman, without Docker Hub, and runs the
# main job in it with its mask digest checked against main.digest in
# src/test/resources/org/sltk/golden.properties. The steps:
#   base     a Debian bookworm root made with `debootstrap --variant=minbase` from Debian's archive,
#            imported with `podman import` as localhost/sltk-debootstrap:bookworm (kept in the cache
#            and made again only by `base` or when missing);
#   build    docker/Dockerfile.debian's targets jdk (Maven, OpenJDK 17) and jre (OpenJDK 17 runtime)
#            on that base, then docker/Dockerfile with them as BUILD_IMAGE and RUNTIME_IMAGE, tagged
#            localhost/sltk:cpu (its build stage, which runs `mvn package` on this working tree
#            with Maven Central, is kept as localhost/sltk-build:cpu for the layer cache); nothing
#            is pulled from any other registry;
#   mainjob  the image's default command, the main job, with no network and runs/ mounted from the
#            cache; it must exit 0 and print and record the golden digest.
# Podman runs as root with runc (crun fails here: "cgroups in hybrid mode not supported"), without
# default ulimits (setting RLIMIT_NPROC is not permitted here), cgroupfs and a file events log, from
# a containers.conf this script writes (CONTAINERS_CONF). Its storage lives in the cache, apart
# from the system's /var/lib/containers: overlay, or vfs where overlay cannot mount (the driver is
# chosen once per cache and recorded in it; SLTK_CONTAINER_DRIVER overrides).
#
#   scripts/container.sh [check]      base (when missing), build, mainjob; prints the times, the image
#                                     size and the host; exit 1 with one line on any failure
#   scripts/container.sh base         makes the base again (debootstrap + podman import)
#   scripts/container.sh build        builds the images (the base must exist)
#   scripts/container.sh mainjob      runs the main job in the built image, checks the digest
#   scripts/container.sh packages     the Debian packages it needs, one line (for test.sh)
#   scripts/container.sh clean        removes the cache: images, podman storage, logs, runs
#
# Needs root (debootstrap; podman's storage and network as root) and the Debian packages podman,
# runc and debootstrap. The cache is SLTK_CONTAINER_CACHE (default /var/cache/sltk-container,
# about 2 GB with overlay); logs go to its logs/ and the main job's run to runs/lenet-d025.
# SLTK_DEBIAN_MIRROR (default http://deb.debian.org/debian) is the archive debootstrap reads.
# The build stage's Maven trusts the host's Java trust store, SLTK_CONTAINER_CACERTS (default
# /etc/ssl/certs/java/cacerts where it exists; none: the image's own), mounted read-only for the
# build only, so that the build works where a proxy re-signs Maven Central's TLS certificate.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

PACKAGES="podman runc debootstrap"
CACHE="${SLTK_CONTAINER_CACHE:-/var/cache/sltk-container}"
MIRROR="${SLTK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CACERTS="${SLTK_CONTAINER_CACERTS:-/etc/ssl/certs/java/cacerts}"
[ -f "$CACERTS" ] || [ -n "${SLTK_CONTAINER_CACERTS:-}" ] || CACERTS=none
GOLDEN=src/test/resources/org/sltk/golden.properties
BASE=localhost/sltk-debootstrap:bookworm
JDK=localhost/sltk-debian-jdk:bookworm
JRE=localhost/sltk-debian-jre:bookworm
IMAGE=localhost/sltk:cpu
BUILD_STAGE=localhost/sltk-build:cpu
RUN_NAME=lenet-d025

say() { echo "container.sh: $*"; }
die() { echo "container.sh: ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# the last non-empty line of a log, for a one-line error
last_line() { grep -v '^[[:space:]]*$' "$1" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | tail -1 | cut -c1-240; }
# a build log's first error line (Maven's [ERROR], apt's E:), else its last line
first_error() {
  local l
  l="$(sed 's/\x1b\[[0-9;]*m//g' "$1" 2>/dev/null | grep -m1 -E '^\[ERROR\] |^E: ' | cut -c1-240)"
  if grep -q 'PKIX path building failed' "$1" 2>/dev/null; then
    l="TLS: the build's Java does not trust the certificate Maven Central presents (SLTK_CONTAINER_CACERTS); $l"
  fi
  echo "${l:-$(last_line "$1")}"
}

golden() {
  [ -f "$GOLDEN" ] || die "$GOLDEN not found (it holds main.digest, the digest the container run must print)"
  local d
  d="$(sed -n 's/^main\.digest=\([0-9a-f]*\)[[:space:]]*$/\1/p' "$GOLDEN" | tail -1)"
  [ ${#d} -eq 64 ] || die "$GOLDEN has no main.digest=<64 hex digits> line"
  echo "$d"
}

# Everything checked before any work starts.
preflight() {
  golden > /dev/null
  [ "$(id -u)" = 0 ] || die "needs root (debootstrap, podman's storage and network): run sudo scripts/container.sh ${CMD}"
  local c missing=()
  for c in $PACKAGES; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ ${#missing[@]} -eq 0 ] || die "${missing[*]} not installed (apt-get install $PACKAGES)"
  mkdir -p "$CACHE/logs" "$CACHE/runs" "$CACHE/empty" 2>/dev/null \
    || die "cannot create the cache $CACHE (set SLTK_CONTAINER_CACHE to a writable directory)"
  RUNROOT="${XDG_RUNTIME_DIR:-/run}/sltk-container"
  mkdir -p "$RUNROOT" 2>/dev/null || RUNROOT="$CACHE/runroot"
  cat > "$CACHE/containers.conf" <<'EOF'
# written by scripts/container.sh: runc (crun fails on this host's hybrid cgroups), no default
# ulimits (RLIMIT_NPROC may not be set here), cgroupfs, events to a file (no journald)
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  export CONTAINERS_CONF="$CACHE/containers.conf"
  storage_driver
  P=(podman --root "$CACHE/storage" --runroot "$RUNROOT" --storage-driver "$DRIVER")
  "${P[@]}" info > "$CACHE/logs/info.log" 2>&1 \
    || die "podman does not start ($(last_line "$CACHE/logs/info.log"); log: $CACHE/logs/info.log)"
}

# overlay where it mounts (probed once per cache), else vfs; recorded in $CACHE/storage-driver
storage_driver() {
  if [ -n "${SLTK_CONTAINER_DRIVER:-}" ]; then
    DRIVER="$SLTK_CONTAINER_DRIVER"
  elif [ -s "$CACHE/storage-driver" ]; then
    DRIVER="$(cat "$CACHE/storage-driver")"
  else
    DRIVER=vfs
    local probe="$CACHE/probe"
    rm -rf "$probe"
    if podman --root "$probe/root" --runroot "$probe/run" --storage-driver overlay info \
        > "$CACHE/logs/overlay-probe.log" 2>&1; then
      DRIVER=overlay
    fi
    rm -rf "$probe"
    echo "$DRIVER" > "$CACHE/storage-driver"
  fi
  case "$DRIVER" in overlay|vfs) ;; *) die "storage driver '$DRIVER' unknown (SLTK_CONTAINER_DRIVER: overlay or vfs)" ;; esac
}

make_base() {
  local t0 root="$CACHE/rootfs" log="$CACHE/logs/debootstrap.log"
  t0="$(now)"
  say "making the base: debootstrap --variant=minbase bookworm $MIRROR (log: $log)"
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" > "$log" 2>&1 \
    || { rm -rf "$root"; die "debootstrap failed ($(last_line "$log"); log: $log)"; }
  # the updates and the security archive too, as in Docker Hub's debian:bookworm
  cat > "$root/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . 2>> "$log" | "${P[@]}" import --change 'CMD ["/bin/bash"]' - "$BASE" >> "$log" 2>&1 \
    || { rm -rf "$root"; die "podman import of the base failed ($(last_line "$log"); log: $log)"; }
  rm -rf "$root"
  BASE_SECONDS="$(since "$t0")"
  say "base $BASE made in ${BASE_SECONDS} s"
}

# podman_build LOG IMAGE ARGS...: one podman build, its output in the log
podman_build() {
  local log="$CACHE/logs/$1" image="$2"; shift 2
  "${P[@]}" build --pull=never --layers -t "$image" "$@" > "$log" 2>&1 \
    || die "podman build of $image failed ($(first_error "$log"); log: $log)"
}

build() {
  "${P[@]}" image exists "$BASE" || die "no base image $BASE (run scripts/container.sh base)"
  local t0; t0="$(now)"
  say "building $JDK, $JRE, $BUILD_STAGE (docker/Dockerfile's build stage) and $IMAGE (logs: $CACHE/logs/build-*.log)"
  podman_build build-jdk.log "$JDK" -f docker/Dockerfile.debian --target jdk \
    --build-arg BASE_IMAGE="${BASE%:*}" --build-arg BASE_TAG="${BASE##*:}" "$CACHE/empty"
  podman_build build-jre.log "$JRE" -f docker/Dockerfile.debian --target jre \
    --build-arg BASE_IMAGE="${BASE%:*}" --build-arg BASE_TAG="${BASE##*:}" "$CACHE/empty"
  # Maven in the build stage trusts what Java on the host trusts (a read-only mount during the
  # build, not in the image): needed behind a TLS-intercepting proxy, harmless elsewhere
  local trust=()
  if [ "$CACERTS" != none ]; then
    [ -f "$CACERTS" ] || die "SLTK_CONTAINER_CACERTS: $CACERTS not found (a Java trust store, or none)"
    trust=(-v "$CACERTS:/etc/ssl/certs/java/cacerts:ro")
  fi
  local args=(-f docker/Dockerfile
    --build-arg BUILD_IMAGE="${JDK%:*}" --build-arg BUILD_TAG="${JDK##*:}"
    --build-arg RUNTIME_IMAGE="${JRE%:*}" --build-arg RUNTIME_TAG="${JRE##*:}")
  # the build stage tagged too, so that pruning below keeps its layers (Maven's downloads) cached
  podman_build build-stage.log "$BUILD_STAGE" "${trust[@]}" --target build "${args[@]}" .
  podman_build build-image.log "$IMAGE" "${trust[@]}" "${args[@]}" .
  BUILD_SECONDS="$(since "$t0")"
  # what earlier builds left without a tag (superseded images and their layers)
  "${P[@]}" image prune -f > /dev/null 2>&1 || true
  local bytes
  bytes="$("${P[@]}" image inspect --format '{{.Size}}' "$IMAGE" 2>/dev/null)" \
    || die "podman image inspect $IMAGE failed after the build"
  say "image $IMAGE built in ${BUILD_SECONDS} s; size $(awk -v b="$bytes" 'BEGIN { printf "%.0f MB (%d bytes)", b / 1e6, b }') (podman image inspect)"
}

mainjob() {
  local want; want="$(golden)" || exit 1
  "${P[@]}" image exists "$IMAGE" || die "no image $IMAGE (run scripts/container.sh build)"
  local log="$CACHE/logs/mainjob.log" run="$CACHE/runs/$RUN_NAME" t0 rc=0
  rm -rf "$run"
  say "main job in $IMAGE (its default command), no network, runs/ from $CACHE/runs"
  t0="$(now)"
  "${P[@]}" run --rm --network none -v "$CACHE/runs:/sltk/runs" "$IMAGE" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  local wall; wall="$(since "$t0")"
  [ "$rc" -eq 0 ] || die "the main job in the container exited with $rc ($(last_line "$log"); log: $log)"
  say "main job in the container: ${wall} s wall (podman run, container start included)"
  local printed recorded
  printed="$(sed -n 's/.*mask digest \([0-9a-f]*\);.*/\1/p' "$log" | tail -1)"
  recorded="$(sed -n 's/.*"maskDigest" *: *"\([0-9a-f]*\)".*/\1/p' "$run/config.json" 2>/dev/null | head -1)"
  [ -n "$printed" ] || die "the main job printed no 'mask digest' line (log: $log)"
  [ -n "$recorded" ] || die "the main job recorded no maskDigest in $run/config.json"
  [ "$recorded" = "$want" ] \
    || die "mask digest $recorded in the container differs from main.digest $want in $GOLDEN"
  [ "$printed" = "${want:0:${#printed}}" ] \
    || die "printed mask digest $printed differs from main.digest $want in $GOLDEN"
  say "mask digest $recorded = main.digest of $GOLDEN"
}

host() {
  local cpu
  cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  say "host: ${cpu:-unknown CPU}, $(nproc) CPUs; $(podman --version), $(runc --version | head -1), storage $DRIVER"
}

check() {
  local t0; t0="$(now)"
  if "${P[@]}" image exists "$BASE"; then
    say "base $BASE cached (scripts/container.sh base makes it again)"
  else
    make_base
  fi
  build
  mainjob
  host
  say "ok: base ${BASE_SECONDS:-cached}${BASE_SECONDS:+ s}, build ${BUILD_SECONDS} s, all $(since "$t0") s"
}

CMD="${1:-check}"
[ $# -le 1 ] || { echo "container.sh: too many arguments; use check, base, build, mainjob, packages or clean" >&2; exit 2; }
case "$CMD" in
  packages) echo "$PACKAGES" ;;
  check|base|build|mainjob)
    preflight
    case "$CMD" in
      check) check ;;
      base) make_base ;;
      build) build ;;
      mainjob) mainjob ;;
    esac ;;
  clean)
    [ "$(id -u)" = 0 ] || die "needs root (the cache holds root's files): run sudo scripts/container.sh clean"
    # podman's own reset first, so no overlay mount is left under the cache
    if [ -s "$CACHE/storage-driver" ] && command -v podman >/dev/null 2>&1; then
      CONTAINERS_CONF="$CACHE/containers.conf" podman --root "$CACHE/storage" \
        --runroot "${XDG_RUNTIME_DIR:-/run}/sltk-container" --storage-driver "$(cat "$CACHE/storage-driver")" \
        system reset -f > /dev/null 2>&1 || true
    fi
    # and whatever mount is left (overlay bind-mounts its directory onto itself)
    awk -v c="$CACHE/" 'index($2, c) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount "$m"; done
    rm -rf "$CACHE" "${XDG_RUNTIME_DIR:-/run}/sltk-container" || die "could not remove $CACHE"
    say "removed $CACHE" ;;
  -h|--help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "container.sh: unknown command '$CMD'; use check, base, build, mainjob, packages or clean" >&2; exit 2 ;;
esac
