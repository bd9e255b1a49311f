#!/bin/bash
# tools/testing/fdt/dump-qemu-dtb.sh - save the device tree a QEMU machine
# would hand its guest.
#
# usage: dump-qemu-dtb.sh OUT QEMU MACHINE [QEMU options...]
#   e.g. dump-qemu-dtb.sh out/r.dtb qemu-system-riscv64 virt -m 64M -smp 4
#
# QEMU builds the tree, writes it to OUT (dumpdtb=) and exits without running
# anything. -append needs a -kernel, so a 4 KiB file of zeros stands in.
# When QEMU is not installed, OUT.skip is written instead (the tests then
# skip) and the exit status is 0; any other failure is an error.
set -eu

out=$1 qemu=$2 machine=$3
shift 3
mkdir -p "$(dirname "$out")"
rm -f "$out" "$out.skip" "$out.tmp"
if ! command -v "$qemu" >/dev/null 2>&1; then
	echo "qemu not installed ($qemu)" >"$out.skip"
	echo "note: $qemu not installed: tests using $(basename "$out") will be skipped" >&2
	exit 0
fi
kernel=$out.kernel # one per dump: make -j runs several at once
head -c 4096 /dev/zero >"$kernel"
if ! "$qemu" -machine "$machine,dumpdtb=$out.tmp" -kernel "$kernel" -display none \
	-nodefaults "$@" >"$out.log" 2>&1 || [ ! -s "$out.tmp" ]; then
	echo "error: $qemu did not dump a device tree for $out:" >&2
	cat "$out.log" >&2
	rm -f "$kernel" "$out.tmp"
	exit 1
fi
rm -f "$kernel"
mv "$out.tmp" "$out"
