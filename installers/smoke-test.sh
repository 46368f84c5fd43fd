#!/usr/bin/env bash
# Smoke test of the Debian package, as a user would meet it (run by .ci/run; needs root or sudo,
# apt-get, Xvfb and ImageMagick, which it installs where missing):
#   1. builds the .deb (installers/build.sh deb; FLOWLAB_SMOKE_DEB=FILE tests a built one instead),
#   2. installs it with apt-get install ./FILE.deb (which pulls in its declared dependencies),
#      checks flowlab on the PATH, its --version, the class-data archive, the menu entry and the
#      scenario MIME type,
#   3. starts the installed app on a fresh Xvfb display with the default scenario and --start, in
#      an empty HOME, and waits (polling, with a deadline) until the log says the lab runs and a
#      screenshot of the window shows the nodes' green "running" badges
#      (installers/target/smoke/running.png),
#   4. sends SIGTERM and checks the app exits 0 and leaves none of its ports listening,
#   5. removes the package (apt-get remove -y) and checks nothing of it is left on the PATH.
# Any failure exits non-zero with the app's log. FLOWLAB_SMOKE_DEADLINE (seconds, default 120)
# bounds the wait for the window.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$HERE/installers/target/smoke"
DEADLINE="${FLOWLAB_SMOKE_DEADLINE:-120}"
PACKAGE=request-flow-lab
# The live running badge's fill in the light theme (live.css: .live-badge:running, AtlantaFX Primer Light's
# -color-success-subtle): the window shows the running lab when enough of it is drawn.
RUNNING_FILL='#DAFBE1'
MIN_RUNNING_PIXELS=6000
SUDO=()
[ "$(id -u)" = 0 ] || SUDO=(sudo)
export DEBIAN_FRONTEND=noninteractive

say() { echo "smoke-test: $*" >&2; }
fail() { say "FAILED: $*"; [ -f "$OUT/app.log" ] && { say "the app's log:"; sed 's/^/    /' "$OUT/app.log" >&2; }; exit 1; }

apt_install() {
    "${SUDO[@]}" apt-get install -y "$@" >/dev/null 2>&1 || { "${SUDO[@]}" apt-get update -qq || true; "${SUDO[@]}" apt-get install -y "$@"; }
}

command -v apt-get >/dev/null || { say "needs apt-get (Debian/Ubuntu)"; exit 2; }
missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v import >/dev/null || missing+=(imagemagick)
command -v ss >/dev/null || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] || { say "installing ${missing[*]}"; apt_install "${missing[@]}"; }

rm -rf "$OUT" && mkdir -p "$OUT"
DEB="${FLOWLAB_SMOKE_DEB:-}"
if [ -z "$DEB" ]; then
    say "building the .deb (installers/build.sh deb)"; built=$SECONDS
    "$HERE/installers/build.sh" deb >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; fail "installers/build.sh deb"; }
    DEB=$(ls "$HERE"/installers/target/${PACKAGE}_*.deb | head -1); say "built in $((SECONDS - built)) s"
fi
[ -f "$DEB" ] || fail "no package at $DEB"

APP_PID= XVFB_PID= INSTALLED=
cleanup() {
    [ -n "$APP_PID" ] && kill -KILL "$APP_PID" 2>/dev/null || true
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    if [ -n "$INSTALLED" ]; then "${SUDO[@]}" apt-get remove -y "$PACKAGE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

say "installing $(basename "$DEB")"
"${SUDO[@]}" apt-get remove -y "$PACKAGE" >/dev/null 2>&1 || true
case "$DEB" in /*) ;; *) DEB="./$DEB" ;; esac
if ! "${SUDO[@]}" apt-get install -y "$DEB" >"$OUT/install.log" 2>&1; then
    "${SUDO[@]}" apt-get update -qq || true
    "${SUDO[@]}" apt-get install -y "$DEB" >"$OUT/install.log" 2>&1 || { tail -20 "$OUT/install.log" >&2; fail "apt-get install $DEB"; }
fi
INSTALLED=1
[ "$(command -v flowlab)" = /usr/bin/flowlab ] || fail "flowlab is not on the PATH as /usr/bin/flowlab"
flowlab --version >"$OUT/version.txt" 2>&1 || fail "flowlab --version: $(cat "$OUT/version.txt")"
grep -q '^Request Flow Lab ' "$OUT/version.txt" || fail "flowlab --version printed: $(cat "$OUT/version.txt")"
say "$(head -1 "$OUT/version.txt")"
if [ -f /opt/$PACKAGE/lib/app/flowlab.classlist ]; then
    # The class-data archive postinst dumped must map (-Xshare:on fails where it does not).
    [ -f /opt/$PACKAGE/lib/app/flowlab.jsa ] || fail "postinst wrote no class-data archive"
    JAVA_TOOL_OPTIONS=-Xshare:on flowlab --version >"$OUT/cds.txt" 2>&1 || fail "the class-data archive does not map: $(cat "$OUT/cds.txt")"
    say "the class-data archive maps ($(du -m /opt/$PACKAGE/lib/app/flowlab.jsa | cut -f1) MB)"
else
    say "this package has no class-data archive (built without Xvfb, or FLOWLAB_APPCDS=0)"
fi
[ -f /usr/share/applications/${PACKAGE}-flowlab.desktop ] || fail "no menu entry in /usr/share/applications"
grep -q '^Categories=Education;Network;' /usr/share/applications/${PACKAGE}-flowlab.desktop || fail "the menu entry's categories"
if command -v xdg-mime >/dev/null; then
    touch "$OUT/shop.flowlab.json"
    kind=$(xdg-mime query filetype "$OUT/shop.flowlab.json" 2>/dev/null || true)
    [ "$kind" = application/x-flowlab-scenario+json ] || fail "a *.flowlab.json file's MIME type is '$kind'"
fi

# A display of our own.
n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
XVFB_PID=$!
end=$((SECONDS + 20))
until [ -S "/tmp/.X11-unix/X$n" ]; do
    [ $SECONDS -lt $end ] && kill -0 "$XVFB_PID" 2>/dev/null || fail "Xvfb :$n did not start: $(cat "$OUT/xvfb.log")"
    sleep 0.1
done
export DISPLAY=":$n"

say "starting the installed app on DISPLAY=$DISPLAY"
APP_HOME="$OUT/home" && mkdir -p "$APP_HOME"
started=$SECONDS
HOME="$APP_HOME" /usr/bin/flowlab --start >"$OUT/app.log" 2>&1 &
APP_PID=$!
end=$((SECONDS + DEADLINE))
shown=
while :; do
    kill -0 "$APP_PID" 2>/dev/null || { APP_PID=; fail "the app exited before showing the running lab"; }
    if grep -qs 'lab Running' "$OUT/app.log"; then
        import -window root "$OUT/running.png" 2>/dev/null || true
        pixels=$(convert "$OUT/running.png" -fill black +opaque "$RUNNING_FILL" -fill white -opaque "$RUNNING_FILL" \
            -format '%[fx:round(mean*w*h)]' info: 2>/dev/null || echo 0)
        if [ "${pixels:-0}" -ge "$MIN_RUNNING_PIXELS" ]; then shown=1; break; fi
    fi
    [ $SECONDS -lt $end ] || break
    sleep 0.5
done
[ -n "$shown" ] || fail "no running lab on screen within ${DEADLINE}s (last screenshot: $OUT/running.png)"
say "the window shows the running lab after $((SECONDS - started)) s ($pixels px of running badges): $OUT/running.png"
grep -h 'window shown\|lab Running' "$OUT/app.log" | sed 's/^/    /' >&2

ports=$(ss -ltnH "( sport > :0 )" -p 2>/dev/null | grep "pid=$APP_PID," | awk '{print $4}' | sort -u)
[ -n "$ports" ] || fail "the running lab listens on no TCP port"
say "the lab listens on $(echo "$ports" | wc -l) TCP addresses; SIGTERM"
kill -TERM "$APP_PID"
rc=0
end=$((SECONDS + 30))
while kill -0 "$APP_PID" 2>/dev/null; do
    [ $SECONDS -lt $end ] || fail "the app did not exit within 30 s of SIGTERM"
    sleep 0.1
done
wait "$APP_PID" || rc=$?
APP_PID=
[ "$rc" = 0 ] || fail "the app exited with $rc after SIGTERM (expected 0)"
grep -q 'SIGTERM: closing the lab' "$OUT/app.log" || fail "the app did not log its SIGTERM shutdown"
left=$(ss -ltnH 2>/dev/null | awk '{print $4}' | grep -Fx -f <(echo "$ports") || true)
[ -z "$left" ] || fail "ports still listening after the app exited: $left"
say "exited 0, its ports released"
kill "$XVFB_PID" 2>/dev/null || true
XVFB_PID=

say "removing the package"
"${SUDO[@]}" apt-get remove -y "$PACKAGE" >"$OUT/remove.log" 2>&1 || { tail -20 "$OUT/remove.log" >&2; fail "apt-get remove $PACKAGE"; }
INSTALLED=
[ ! -e /usr/bin/flowlab ] || fail "/usr/bin/flowlab is still there after removal"
[ ! -e /opt/$PACKAGE ] || fail "/opt/$PACKAGE is still there after removal: $(find /opt/$PACKAGE | head -5)"
[ ! -e /usr/share/applications/${PACKAGE}-flowlab.desktop ] || fail "the menu entry is still there after removal"
say "passed"
