#!/usr/bin/env bash
# Installs what vouch needs to build and test on Debian 12: idempotent, quiet when done.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

pkgs=(build-essential cmake pkg-config clang clang-format clang-tidy
      libssl-dev libsodium-dev libjansson-dev libarchive-dev libcurl4-openssl-dev libcmocka-dev
      libisal-dev isal zlib1g-dev libzstd-dev libxml2-dev libcbor-dev libmicrohttpd-dev libyaml-dev libsqlite3-dev libpcre2-dev zstd
      openssl jq curl ca-certificates bsdutils
      docker-registry umoci skopeo apache2-utils debootstrap
      python3-securesystemslib python3-jsonschema python3-nacl python3-cryptography python3-yaml wrk
      nodejs npm golang-go
      libcommons-lang3-java libcommons-io-java libslf4j-java ruby bundler)
pkgs+=(kubernetes-client) # kubectl for tests/interop/test_webhook_deploy.sh
# man pages (tests/cli/test_manpages.sh) and completion scripts (test_completion.sh)
pkgs+=(man-db groff-base mandoc bsdextrautils zsh fish)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm and kubectl may come from outside Debian's packages on some machines (another
# kubectl package owns /usr/bin/kubectl: installing Debian's would conflict)
if command -v node >/dev/null && command -v npm >/dev/null; then
    tmp=()
    for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
    missing=("${tmp[@]+"${tmp[@]}"}")
fi
if command -v kubectl >/dev/null; then
    tmp=()
    for p in "${missing[@]}"; do [[ $p == kubernetes-client ]] || tmp+=("$p"); done
    missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Pinned npm peers for interop tests (lock file in tests/interop/npm) and the npm tree
# whose installed node_modules is the npm catalogers' ground truth (tests/interop/npm-tree)
for npmdir in "$top/tests/interop/npm" "$top/tests/interop/npm-tree"; do
    [ -f "$npmdir/package-lock.json" ] || continue
    stamp="$npmdir/node_modules/.vouch-stamp"
    if [ ! -f "$stamp" ] || [ "$npmdir/package-lock.json" -nt "$stamp" ]; then
        echo "setup: installing npm packages in ${npmdir#"$top"/}" >&2
        (cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        touch "$stamp"
    fi
done
