#!/usr/bin/env bash
# Compares the headers sever generates in Swift (its shim folder) with what Kbuild's own rules
# produce from the same tree, per architecture.
#
#   Tests/RealTree/generated-truth.sh /path/to/linux-6.12 [ARCH…]    (default: x86 arm64 riscv powerpc s390)
#
# For each ARCH (a directory under arch/):
# 1. Kbuild: `make O=OUT ARCH=… defconfig`, then `make O=OUT ARCH=… archheaders asm-generic`
#    (the syscall headers and the asm-generic wrappers; out of tree, the source tree is only
#    read). arm64's cpucaps/sysreg headers: `awk -f arch/arm64/tools/gen-*.awk`, as
#    arch/arm64/tools/Makefile runs it. s390's facility-defs.h: gen_facilities.c compiled with
#    the defconfig's autoconf.h and run. SELinux's flask.h and av_permissions.h: genheaders.c
#    compiled and run. SCSI's scsi_devinfo_tbl.c: the sed of drivers/scsi/Makefile.
# 2. sever: `sever check --arch ARCH --config OUT/.config` on one file with a fresh cache, whose
#    shim folder then holds sever's versions.
# 3. Each header Kbuild made is compared by its set of `#define NAME VALUE` (whitespace
#    normalised) and its other lines; "same" or "DIFF" with the first differing names.
#    Include guards are reported too (sever's syscall guards follow syscallhdr.sh; s390's own
#    script spells them differently).
set -euo pipefail
SRC=$(cd "${1:?usage: generated-truth.sh TREE [ARCH…]}" && pwd)
shift
ARCHES=("$@")
[ $# -gt 0 ] || ARCHES=(x86 arm64 riscv powerpc s390)
HERE=$(cd "$(dirname "$0")" && pwd)
SEVER=${SEVER:-$HERE/../../.build/release/sever}
WORK=${WORK:-$(mktemp -d)}
compare() { # $1 = Kbuild's file, $2 = sever's file
  python3 - "$1" "$2" <<'PY'
import re, sys
def read(path):
    defines, lines = {}, []
    for line in open(path, errors="replace"):
        m = re.match(r"\s*#\s*define\s+(\w+)\s*(.*)", line)
        if m:
            defines[m.group(1)] = re.sub(r"\s+", " ", m.group(2)).strip()
        elif line.strip() and not line.lstrip().startswith(("/*", "*", "#")):
            lines.append(re.sub(r"\s+", " ", line.strip()))
    return defines, lines
(a, la), (b, lb) = read(sys.argv[1]), read(sys.argv[2])
names = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
print("same" if not names and la == lb else f"DIFF {names[:4]}{' (other lines differ)' if la != lb else ''}")
PY
}
for arch in "${ARCHES[@]}"; do
  case $arch in x86) sever_arch=x86_64 ;; *) sever_arch=$arch ;; esac
  out=$WORK/$arch
  make -s -C "$SRC" O="$out" ARCH="$arch" defconfig >/dev/null 2>&1
  make -s -C "$SRC" O="$out" ARCH="$arch" archheaders asm-generic >/dev/null 2>&1
  gen=$out/arch/$arch/include/generated
  if [ "$arch" = arm64 ]; then
    for script in cpucaps sysreg; do
      name=$(grep -o "[a-z-]*$script[a-z-]*\.h" "$SRC/arch/arm64/include/asm/Kbuild" | head -1)
      awk -f "$SRC/arch/arm64/tools/gen-$script.awk" "$SRC/arch/arm64/tools/$script" >"$gen/asm/$name"
    done
  fi
  if [ "$arch" = s390 ]; then
    gcc -o "$out/gen_facilities" -include "$out/include/generated/autoconf.h" \
      "$SRC/arch/s390/tools/gen_facilities.c"
    "$out/gen_facilities" >"$gen/asm/facility-defs.h"
  fi
  cache=$WORK/cache-$arch
  (cd "$SRC" && XDG_CACHE_HOME=$cache "$SEVER" check --arch "$sever_arch" --config "$out/.config" \
    --no-prefilter --allow-unparsed fs/kernfs/mount.c >/dev/null 2>&1) || true
  shim=$(ls -d "$cache"/sever/shims/*/ | head -1)
  echo "== $arch"
  (cd "$gen" && find . -name '*.h' | sort) | while read -r header; do
    sever_header=$shim/arch/$arch/include/generated/$header
    if [ -f "$sever_header" ]; then
      echo "${header#./}: $(compare "$gen/$header" "$sever_header")"
    else
      echo "${header#./}: MISSING in sever's shim"
    fi
  done
done
# Generated next to the objects that include them, the same for every architecture.
shim=$(ls -d "$WORK"/cache-*/sever/shims/*/ | head -1)
mkdir -p "$WORK/selinux"
gcc -o "$WORK/selinux/genheaders" -I"$SRC/include/uapi" -I"$SRC/include" \
  -I"$SRC/security/selinux/include" "$SRC/scripts/selinux/genheaders/genheaders.c"
(cd "$WORK/selinux" && ./genheaders flask.h av_permissions.h)
sed -n 's/.*define *BLIST_\([A-Z0-9_]*\) *.*/BLIST_FLAG_NAME(\1),/p' \
  "$SRC/include/scsi/scsi_devinfo.h" >"$WORK/scsi_devinfo_tbl.c"
echo "== objects' own"
for pair in "selinux/flask.h:security/selinux/flask.h" \
  "selinux/av_permissions.h:security/selinux/av_permissions.h" \
  "scsi_devinfo_tbl.c:drivers/scsi/scsi_devinfo_tbl.c"; do
  cmp -s "$WORK/${pair%%:*}" "$shim/${pair##*:}" && result="byte-identical" || result="differs"
  echo "${pair##*:}: $result"
done
