#!/bin/sh
# Smoke test for the BUILT hello-noarch package (not the copy of the script in
# this repository). Which executable it runs, first match wins:
#   HELLO_NOARCH    path to an executable to test (handy by hand)
#   ALBS_PACKAGES   the built packages, set by albs-ci for `run:` steps: the
#                   hello-noarch rpm among them is installed into a temporary
#                   root (rpm --nodeps, no root needed) and its script is run
#   (neither)       /usr/bin/hello-noarch, as on a machine that has the package
set -eu

failures=0
tmp=

cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

if [ -n "${HELLO_NOARCH:-}" ]; then
  bin=$HELLO_NOARCH
elif [ -n "${ALBS_PACKAGES:-}" ]; then
  rpm_file=
  for f in $ALBS_PACKAGES; do
    case ${f##*/} in
      hello-noarch-[0-9]*.noarch.rpm) rpm_file=$f ;;
    esac
  done
  if [ -z "$rpm_file" ]; then
    echo "FAIL: no hello-noarch-*.noarch.rpm in ALBS_PACKAGES ($ALBS_PACKAGES)" >&2
    exit 1
  fi
  tmp=$(mktemp -d)
  # Debian's rpm warns "use Alien instead" on -i: harmless, hidden.
  rpm --root "$tmp" -i --nodeps --noscripts "$rpm_file" 2>&1 | grep -v -e Alien -e 'know what you are doing' >&2 || true
  bin=$tmp/usr/bin/hello-noarch
  echo "installed $rpm_file into $tmp"
else
  bin=/usr/bin/hello-noarch
fi

if [ ! -x "$bin" ]; then
  echo "FAIL: $bin is not an executable file (set HELLO_NOARCH or ALBS_PACKAGES)" >&2
  exit 1
fi

# check DESCRIPTION EXPECTED ARGS...: run the script, compare its whole output.
check() {
  description=$1 expected=$2
  shift 2
  if actual=$("$bin" "$@" 2>&1) && [ "$actual" = "$expected" ]; then
    echo "ok: $description"
  else
    echo "FAIL: $description: expected '$expected', got '$actual'" >&2
    failures=$((failures + 1))
  fi
}

check "greets without arguments" "Hello from albs-ci!"
check "greets a name" "Hello from albs-ci, packager!" packager

case $("$bin" --version) in
  "hello-noarch "[0-9]*) echo "ok: prints its version" ;;
  *) echo "FAIL: --version should print 'hello-noarch <version>'" >&2; failures=$((failures + 1)) ;;
esac

if "$bin" --no-such-option >/dev/null 2>&1; then
  echo "FAIL: an unknown option should fail" >&2
  failures=$((failures + 1))
else
  echo "ok: rejects an unknown option"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed for $bin"
