#!/usr/bin/env bash
# UNFINISHED (first cut): builds the Linux app image and the .deb with jpackage from app/target.
# The module list below is a guess still to be checked with jdeps (jdeps --print-module-deps over
# app/target/lib failed with an exception on this machine, not yet looked into). No icon, desktop
# entry, file association, .msi/.dmg configuration yet (issue 23).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$HERE/installers/target"
TYPE="${1:-app-image}"   # app-image | deb
COMMIT=$(git -C "$HERE" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
(cd "$HERE" && ./mvnw -B -q -DskipTests -Dflowlab.commit="$COMMIT" package)
rm -rf "$OUT/input" && mkdir -p "$OUT/input"
cp "$HERE/app/target/flowlab-app.jar" "$HERE"/app/target/lib/*.jar "$OUT/input/"
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.xml,java.sql,jdk.unsupported,jdk.crypto.ec,java.net.http,jdk.jfr
EXTRA=()
[ "$TYPE" = deb ] && EXTRA=(--linux-package-deps "libgtk-3-0 | libgtk-3-0t64" --linux-shortcut --linux-menu-group Development)
jpackage --type "$TYPE" --dest "$OUT" --name flowlab --app-version 0.1.0 \
    --input "$OUT/input" --main-jar flowlab-app.jar --main-class dev.flowlab.app.Main \
    --add-modules "$MODULES" --jlink-options "--strip-debug --no-header-files --no-man-pages" \
    --java-options "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 -XX:CompilerThreadPriority=10" \
    "${EXTRA[@]}"
ls -la "$OUT"
