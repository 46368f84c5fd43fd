#!/usr/bin/env bash
# Renders the app icon, assets/icons/flowlab.svg, to what each platform wants, beside the SVG:
#   flowlab-N.png (N = 16 24 32 48 64 128 256 512: Linux hicolor sizes, the window icon),
#   flowlab.ico (Windows: 16..256 in one file), flowlab.icns (macOS: PNG entries 16..1024).
# The outputs are committed, so a build needs no ImageMagick; run this after editing the SVG.
# Needs ImageMagick (convert) and python3.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/assets/icons"
cd "$DIR"
render() { convert -background none -density 288 flowlab.svg -resize "$1x$1" -depth 8 -strip "PNG32:$2"; }   # 288 dpi: drawn at 2048 px, then scaled down
for s in 16 24 32 48 64 128 256 512; do render "$s" "flowlab-$s.png"; done
render 1024 /tmp/flowlab-1024.$$.png
convert flowlab-16.png flowlab-24.png flowlab-32.png flowlab-48.png flowlab-64.png flowlab-128.png flowlab-256.png flowlab.ico
# ICNS: 'icns', total length, then (type, length, PNG) entries; macOS 10.7+ reads PNG data in these types.
python3 - "$DIR" /tmp/flowlab-1024.$$.png <<'PY'
import struct, sys, os
d, big = sys.argv[1], sys.argv[2]
entries = [(b'icp4', 'flowlab-16.png'), (b'icp5', 'flowlab-32.png'), (b'icp6', 'flowlab-64.png'),
           (b'ic07', 'flowlab-128.png'), (b'ic08', 'flowlab-256.png'), (b'ic09', 'flowlab-512.png'),
           (b'ic11', 'flowlab-32.png'), (b'ic12', 'flowlab-64.png'), (b'ic13', 'flowlab-256.png'),
           (b'ic14', 'flowlab-512.png'), (b'ic10', big)]
body = b''
for kind, name in entries:
    data = open(os.path.join(d, name), 'rb').read()
    body += kind + struct.pack('>I', len(data) + 8) + data
open(os.path.join(d, 'flowlab.icns'), 'wb').write(b'icns' + struct.pack('>I', len(body) + 8) + body)
PY
rm -f /tmp/flowlab-1024.$$.png
ls -l "$DIR"
