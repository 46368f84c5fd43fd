#!/usr/bin/env bash
# Builds Request Flow Lab's installers with jpackage (JDK 17+) into installers/target/:
#   installers/build.sh app-image   a self-contained app image (this OS): installers/target/flowlab/
#   installers/build.sh deb         Debian/Ubuntu package (needs fakeroot and dpkg-deb): request-flow-lab_VERSION_ARCH.deb
#   installers/build.sh msi         Windows installer (on Windows, needs WiX 3 on the PATH)
#   installers/build.sh dmg         macOS disk image (on macOS)
# The app runs on the class path (JavaFX's jars beside the app's, dev.flowlab.app.Main launches it)
# on a jlink-ed runtime of only the JDK modules the jars use (jdeps over every class, plus the
# service providers jdeps cannot see). FLOWLAB_SKIP_MAVEN=1 packages app/target as it is;
# FLOWLAB_APPCDS=0 builds the .deb without its class-data archive.
# installers/README.md says what each package does and what it needs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INST="$HERE/installers"
OUT="$INST/target"
TYPE="${1:-app-image}"
case "$TYPE" in app-image|deb|msi|dmg) ;; *) echo "usage: installers/build.sh [app-image|deb|msi|dmg]" >&2; exit 2 ;; esac
for tool in jpackage jlink jdeps jar; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool not found: put a JDK 17+'s bin on the PATH" >&2; exit 2; }
done
if [ "$TYPE" = deb ]; then
    for tool in fakeroot dpkg-deb; do
        command -v "$tool" >/dev/null || { echo "build.sh: $tool not found: sudo apt-get install -y fakeroot dpkg-dev" >&2; exit 2; }
    done
fi

# The POM's version without -SNAPSHOT (jpackage wants numbers; msi: at most 3 parts, each <= 255/65535).
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$HERE/pom.xml" | head -1)
APP_VERSION="${VERSION%%-*}"
COMMIT=$(git -C "$HERE" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
if [ "${FLOWLAB_SKIP_MAVEN:-0}" != 1 ]; then
    (cd "$HERE" && ./mvnw -B -q -DskipTests -Dflowlab.commit="$COMMIT" package)
fi
[ -f "$HERE/app/target/flowlab-app.jar" ] || { echo "build.sh: app/target/flowlab-app.jar missing (build with ./mvnw -B -DskipTests package)" >&2; exit 2; }

mkdir -p "$OUT"
rm -rf "$OUT/input" "$OUT/classes" "$OUT/runtime" "$OUT/flowlab" "$OUT/flowlab.app"
mkdir -p "$OUT/input" "$OUT/classes"
cp "$HERE/app/target/flowlab-app.jar" "$HERE"/app/target/lib/*.jar "$OUT/input/"

# The JDK modules: every class of every jar, read as plain class-path classes (jdeps on the jars
# themselves resolves their module-info requirements, e.g. netty-codec-xml's optional aalto, and fails).
(cd "$OUT/classes" && for j in "$OUT"/input/*.jar; do jar xf "$j"; done && find . -name module-info.class -delete)
DEPS=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$OUT/classes")
# Loaded by name or as services, invisible to jdeps: elliptic-curve TLS (jdk.crypto.ec), and
# jdk.localedata for date/number formats in the user's locale.
MODULES="$DEPS,jdk.crypto.ec,jdk.localedata"
echo "build.sh: runtime modules: $MODULES"
rm -rf "$OUT/classes"
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --include-locales=en,zh,de,fr,ja --output "$OUT/runtime"

# As ./lab runs the desktop app: the lab's threads below the UI's (see ./lab).
JAVA_OPTIONS=(--java-options "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 -XX:CompilerThreadPriority=10")

# AppCDS for the .deb (BENCHMARKS.md, "Start-up of the installed app"): the build records which
# classes a start loads (the app on its own Xvfb display, --start, until the lab runs, then
# SIGTERM) into flowlab.classlist; the package's postinst dumps the archive from it at the install
# location (a CDS archive is only used with the class path it was dumped with), and the launcher
# maps it (a missing or stale archive is silently ignored). Without Xvfb the package has none.
record_classlist() {
    local list="$OUT/input/flowlab.classlist" log="$OUT/classlist.log" n=90 xvfb pid end
    if ! command -v Xvfb >/dev/null; then
        echo "build.sh: no Xvfb: the package gets no class-data archive (apt-get install -y xvfb for one)"
        return 0
    fi
    while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    end=$((SECONDS + 20))
    until [ -S "/tmp/.X11-unix/X$n" ] || [ $SECONDS -ge $end ]; do sleep 0.1; done
    mkdir -p "$OUT/classlist-home"
    DISPLAY=":$n" HOME="$OUT/classlist-home" "$OUT/runtime/bin/java" -XX:DumpLoadedClassList="$list" \
        -cp "$OUT/input/*" dev.flowlab.app.Main --start >"$log" 2>&1 &
    pid=$!
    end=$((SECONDS + 240))
    until grep -q 'lab Running' "$log" || ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $end ]; do sleep 0.2; done
    if grep -q 'lab Running' "$log"; then
        kill -TERM "$pid"
        wait "$pid" || true
        echo "build.sh: recorded $(wc -l <"$list") classes a start loads for the class-data archive"
    else
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        rm -f "$list"
        echo "build.sh: the app did not start for the class list (see $log): the package gets no class-data archive"
    fi
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$OUT/classlist-home"
}

# Linux names the launcher flowlab (a command); Windows and macOS show the name itself: "Request Flow Lab.exe", "Request Flow Lab.app".
NAME=flowlab
case "$TYPE" in msi|dmg) NAME="Request Flow Lab" ;; esac
# macOS refuses a bundle version whose first number is 0 (CFBundleVersion): before 1.0 the .dmg says 1.0.0.
if [ "$TYPE" = dmg ] && [ "${APP_VERSION%%.*}" = 0 ]; then
    APP_VERSION=1.0.0
    echo "build.sh: macOS wants a version >= 1: the .dmg is 1.0.0 (POM: $VERSION)"
fi
COMMON=(--name "$NAME" --app-version "$APP_VERSION" --vendor "Request Flow Lab"
    --description "Build a request's path (DNS, LVS, Nginx, gateway, Tomcat) and watch it run on real servers"
    --copyright "Request Flow Lab contributors"
    --input "$OUT/input" --main-jar flowlab-app.jar --main-class dev.flowlab.app.Main
    --runtime-image "$OUT/runtime" "${JAVA_OPTIONS[@]}" --dest "$OUT")

case "$TYPE" in
app-image)
    case "$(uname -s)" in
        Darwin) ICON="$HERE/assets/icons/flowlab.icns"; COMMON+=(--mac-package-identifier dev.flowlab.app) ;;
        MINGW*|MSYS*|CYGWIN*) ICON="$HERE/assets/icons/flowlab.ico" ;;
        *) ICON="$HERE/assets/icons/flowlab-512.png" ;;
    esac
    jpackage --type app-image "${COMMON[@]}" --icon "$ICON"
    ;;
deb)
    rm -f "$OUT"/*.deb
    CDS=(--java-options -Xshare:auto)
    if [ "${FLOWLAB_APPCDS:-1}" = 1 ]; then
        record_classlist
        [ -f "$OUT/input/flowlab.classlist" ] && CDS=(--java-options '-XX:SharedArchiveFile=$APPDIR/flowlab.jsa')
    fi
    # resource-dir: the desktop entry (name, categories, %f), postinst/prerm adding /usr/bin/flowlab.
    jpackage --type deb "${COMMON[@]}" --icon "$HERE/assets/icons/flowlab-512.png" \
        --resource-dir "$INST/linux" \
        --install-dir /opt --linux-package-name request-flow-lab \
        --linux-shortcut --linux-menu-group "Education;Network;" --linux-app-category education \
        --linux-deb-maintainer flowlab@localhost \
        --linux-package-deps "libgtk-3-0 | libgtk-3-0t64" \
        --file-associations "$INST/linux/scenario.properties" "${CDS[@]}"
    ;;
msi)
    # Per-user (no administrator); the upgrade UUID must never change: it is what makes a newer
    # .msi replace an older one. See installers/README.md.
    jpackage --type msi "${COMMON[@]}" --icon "$HERE/assets/icons/flowlab.ico" \
        --win-per-user-install --win-dir-chooser --win-menu --win-menu-group "Request Flow Lab" --win-shortcut \
        --win-upgrade-uuid 6f0c6c3e-4a5e-4a8e-9a43-1f6f3c2a7b15 \
        --file-associations "$INST/windows/scenario.properties"
    ;;
dmg)
    jpackage --type dmg "${COMMON[@]}" --icon "$HERE/assets/icons/flowlab.icns" \
        --mac-package-identifier dev.flowlab.app --mac-package-name "Flow Lab" \
        --file-associations "$INST/macos/scenario.properties"
    ;;
esac
rm -rf "$OUT/input"
ls -la "$OUT"
