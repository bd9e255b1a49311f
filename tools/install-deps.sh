#!/usr/bin/env bash
# tools/install-deps.sh - install the toolchains and emulators Pagoda needs,
# only when something is missing. Called by `make` on demand (once per build
# directory) and by `make fresh-check`; safe to run by hand.
#
#   tools/install-deps.sh [extra Debian packages...]
#
# What Pagoda needs is found by command (or by file, for libraries and
# firmware), so tools installed some other way count. Extra packages named on
# the command line are checked with dpkg and installed when absent.
#
# On Debian/Ubuntu it uses apt-get (through sudo when not root), always with
# --no-install-recommends: nothing Pagoda uses may depend on a package that
# only comes in as a recommendation (see Documentation/qemu-virt.md, "Only the
# devices Pagoda uses"). Elsewhere it prints the packages to install. QEMU
# older than 7.2 is refused: its virt boards differ from what Pagoda expects.
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
	[make]=make
	[python3]=python3
	[clang-format]=clang-format
	[clang]=clang
	[valgrind]=valgrind
	[ps]=procps         # test stage procps: Linux's ps, top, vmstat, free, pmap, slabtop
	[unshare]=util-linux # ... read a snapshot of Pagoda's /proc in a private namespace
)
missing=()
for cmd in "${!CMD_PKG[@]}"; do
	command -v "$cmd" >/dev/null 2>&1 || missing+=("${CMD_PKG[$cmd]}")
done
# the C library's headers (host tools, host tests): only a recommendation of gcc
[ -e /usr/include/stdio.h ] || missing+=(libc6-dev)
# libFuzzer (host fuzz tests) is a file of clang's runtime, not a command
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
	missing+=(libclang-rt-dev)
# OpenSBI firmware is a file, not a command (QEMU also bundles its own copy)
[ -e /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf ] || missing+=(opensbi)
# packages the caller asked for by name (Debian names: only where dpkg can
# tell; elsewhere the checks above stand for them)
if command -v dpkg-query >/dev/null 2>&1; then
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$pkg")
	done
fi

if [ ${#missing[@]} -gt 0 ]; then
	pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
	echo "install-deps: missing packages: $pkgs"
	if command -v apt-get >/dev/null 2>&1; then
		SUDO=""
		[ "$(id -u)" -eq 0 ] || SUDO="sudo"
		# through env: sudo drops the caller's environment
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		# shellcheck disable=SC2086
		$SUDO env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $pkgs
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
