#!/bin/sh
# Smoke test for the BUILT hello-both package, rpm or deb: ALBS_PACKAGES lists
# what the build made (set by albs-ci for `run:` steps, with ALBS_ARCH). The
# package is unpacked into a temporary directory (no root needed) and run.
set -eu

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pkg=
for f in ${ALBS_PACKAGES:?set by albs-ci: the built packages}; do
  case ${f##*/} in
    hello-both_[0-9]*.deb | hello-both-[0-9]*.rpm) pkg=$f ;;
  esac
done
case $pkg in
  *.deb) dpkg-deb -x "$pkg" "$tmp" ;;
  # Debian's rpm warns "use Alien instead" on -i: harmless, hidden.
  *.rpm) rpm --root "$tmp" -i --nodeps --noscripts "$pkg" 2>&1 | grep -v -e Alien -e 'know what you are doing' >&2 || true ;;
  *) echo "FAIL: no hello-both package in ALBS_PACKAGES ($ALBS_PACKAGES)" >&2; exit 1 ;;
esac
echo "unpacked ${pkg##*/} ($ALBS_ARCH)"

bin=$tmp/usr/bin/hello-both
"$bin" | grep -qx 'Hello from albs-ci! (hello-both)' && echo "ok: greets"
"$bin" --version | grep -qx 'hello-both 1.0.0' && echo "ok: is version 1.0.0"
echo "all checks passed"
