#!/usr/bin/env bash
# tools/install-deps.sh - install the toolchains and emulators Pagoda needs,
# only when something is missing. Called by `make` on demand (once per build
# directory); safe to run by hand.
#
#   tools/install-deps.sh [extra Debian packages...]
#
# On Debian/Ubuntu it uses apt-get (through sudo when not root). Elsewhere it
# prints the commands to run. QEMU older than 7.2 is refused: Pagoda is
# built and tested against the virt boards of QEMU 7.2 and newer.
set -euo pipefail

ARCH=${ARCH:-riscv}
declare -A CMD_PKG=(
	[riscv64-unknown-elf-gcc]=gcc-riscv64-unknown-elf
	[riscv64-unknown-elf-ld]=binutils-riscv64-unknown-elf
	[qemu-system-riscv64]=qemu-system-misc
	[aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
	[aarch64-linux-gnu-ld]=binutils-aarch64-linux-gnu
	[qemu-system-aarch64]=qemu-system-arm
	[gdb-multiarch]=gdb-multiarch
	[dtc]=device-tree-compiler
	[gcc]=gcc
	[python3]=python3
	[clang-format]=clang-format
	[clang]=clang
	[valgrind]=valgrind
	[ps]=procps         # test stage procps: Linux's ps, top, vmstat, free, pmap, slabtop
	[unshare]=util-linux # ... read a snapshot of Pagoda's /proc in a private namespace
)
want_pkgs=(opensbi "$@")
missing=()
for cmd in "${!CMD_PKG[@]}"; do
	command -v "$cmd" >/dev/null 2>&1 || missing+=("${CMD_PKG[$cmd]}")
done
# libFuzzer (host fuzz tests) is a file of clang's runtime, not a command
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
	missing+=(libclang-rt-dev)
# OpenSBI firmware is a file, not a command (QEMU also bundles its own copy)
[ -e /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf ] || missing+=(opensbi)

if [ ${#missing[@]} -gt 0 ]; then
	pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
	echo "install-deps: missing packages: $pkgs"
	if command -v apt-get >/dev/null 2>&1; then
		SUDO=""
		[ "$(id -u)" -eq 0 ] || SUDO="sudo"
		export DEBIAN_FRONTEND=noninteractive
		$SUDO apt-get update -qq
		# shellcheck disable=SC2086
		$SUDO apt-get install -y -qq --no-install-recommends $pkgs
	else
		echo "install-deps: not a Debian/Ubuntu system. Install the equivalents of:"
		echo "    $pkgs"
		echo "(Debian package names; e.g. on Fedora: dnf install qemu-system-riscv qemu-system-aarch64 gcc-riscv64-linux-gnu ...)"
		exit 1
	fi
fi

# QEMU 7.2 or newer
for q in qemu-system-riscv64 qemu-system-aarch64; do
	v=$($q --version | sed -n 's/^QEMU emulator version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
	set -- $v
	if [ -z "${1:-}" ] || [ "$1" -lt 7 ] || { [ "$1" -eq 7 ] && [ "$2" -lt 2 ]; }; then
		echo "install-deps: $q is version ${1:-?}.${2:-?}; Pagoda needs QEMU 7.2 or newer." >&2
		echo "  Debian 12 and Ubuntu 23.04+ ship a new enough QEMU." >&2
		exit 1
	fi
done
exit 0
