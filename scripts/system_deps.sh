#!/usr/bin/env bash
# Install the Debian packages the tests and the local servers need, only those missing (no apt when all present).
#   openjdk-17-jdk-headless + maven : the local OpenSearch (scripts/search_server.py)
#   postgresql                      : the throw-away PostgreSQL (scripts/pg_server.py)
#   chromium + chromium-driver      : browser tests (Playwright drives /usr/bin/chromium; no `playwright install`)
#   fonts-noto-cjk                  : Chinese text in screenshots
#   python3 + python3-venv          : /usr/bin/python3 runs the stdlib-only server scripts; venv for .venv
set -euo pipefail

PACKAGES=(python3 python3-venv openjdk-17-jdk-headless maven postgresql chromium chromium-driver fonts-noto-cjk)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system packages: all present (${PACKAGES[*]})"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "system packages missing: ${missing[*]}; run this script as root (apt-get install needs it)" >&2
        exit 1
    fi
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

# Debian's postgresql package creates and starts a cluster on port 5432; ours runs on its own port, so leave it.
for pkg in "${missing[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || {
        echo "apt-get did not install $pkg" >&2
        exit 1
    }
done
echo "system packages: done"
