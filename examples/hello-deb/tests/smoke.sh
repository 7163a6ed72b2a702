#!/bin/sh
# Smoke test for the BUILT hello-deb package (not the sources in this
# repository). Which executable it runs, first match wins:
#   HELLO_DEB       path to an executable to test (handy by hand)
#   ALBS_PACKAGES   the built packages, set by albs-ci for `run:` steps: the
#                   hello-deb deb among them is unpacked into a temporary
#                   directory (dpkg-deb -x, no root needed) and run from there
#   (neither)       /usr/bin/hello-deb, as on a machine that has the package
set -eu

tmp=
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

if [ -n "${HELLO_DEB:-}" ]; then
  bin=$HELLO_DEB
elif [ -n "${ALBS_PACKAGES:-}" ]; then
  deb=
  for f in $ALBS_PACKAGES; do
    case ${f##*/} in
      hello-deb_[0-9]*.deb) deb=$f ;;
    esac
  done
  if [ -z "$deb" ]; then
    echo "FAIL: no hello-deb_*.deb in ALBS_PACKAGES ($ALBS_PACKAGES)" >&2
    exit 1
  fi
  tmp=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmp"
  bin=$tmp/usr/bin/hello-deb
  echo "unpacked $deb into $tmp"
else
  bin=/usr/bin/hello-deb
fi

version=$(dpkg-parsechangelog -l "$(dirname "$0")/../debian/changelog" -S Version 2>/dev/null || echo)
upstream=${version%-*}

"$bin" | grep -qx 'Hello from albs-ci! (hello-deb)' && echo "ok: greets"
if [ -n "$upstream" ]; then
  "$bin" --version | grep -qx "hello-deb $upstream" && echo "ok: is version $upstream"
fi
if "$bin" --no-such-option >/dev/null 2>&1; then
  echo "FAIL: an unknown option should fail" >&2
  exit 1
fi
echo "ok: rejects an unknown option"
echo "all checks passed for $bin"
