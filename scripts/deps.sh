#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# deps.sh: install the Debian packages the build and the tests need.
#
# Called first by `make check`, `make demo` and `make bench` (and so by CI on
# a fresh Debian 12 machine, as root).  Each package is checked with
# dpkg-query; only when something is missing is `apt-get update` run (once)
# and the missing packages installed non-interactively.  With everything
# present it does no network traffic and finishes in well under a second.
set -eu

PKGS="build-essential gcc make binutils qemu-system-x86 linux-image-amd64
linux-headers-amd64 busybox-static cpio kmod makefs iproute2 ethtool"

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: not root and no sudo; install these by hand:$missing" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is wanted
$SUDO apt-get install -y -q --no-install-recommends $missing
