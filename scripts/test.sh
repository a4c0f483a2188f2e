#!/usr/bin/env bash
# Runs every test of citygrid, installing what the tests need when it is missing:
# Xvfb (a virtual display) and Mesa's software Vulkan driver (lavapipe), for the
# screenshot tests that render the real exhibit, and Chromium, the real browser the docent's
# console is tested in (tests/console.rs).
#
#   scripts/test.sh            # all tests
#   scripts/test.sh shots      # extra arguments go to `cargo test`
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 || need+=(mesa-vulkan-drivers)
# (grep reads all of it: with -q it may stop early, and under pipefail ldconfig's SIGPIPE
# would count as 'missing'.)
ldconfig -p 2>/dev/null | grep 'libvulkan.so.1' >/dev/null || need+=(libvulkan1)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A private virtual display for the screenshot tests.
display=""
for n in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
done
if [ -z "$display" ]; then echo "test.sh: no free X display number" >&2; exit 2; fi
Xvfb "$display" -screen 0 3840x2160x24 -nolisten tcp >/tmp/citygrid-xvfb.log 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

export DISPLAY="$display"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
export CITYGRID_REQUIRE_DISPLAY=1
export CITYGRID_REQUIRE_BROWSER=1
cargo test --all-targets "$@"
