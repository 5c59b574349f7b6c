#!/usr/bin/env bash
# Renders the committed PNG icons from the SVG. The PNGs are committed rather than made at build
# time so that building needs no SVG renderer; run this (needs librsvg2-bin) after editing the SVG.
set -euo pipefail
cd "$(dirname "$0")"
for size in 48 128 256; do
    mkdir -p "${size}x${size}"
    rsvg-convert -w "$size" -h "$size" io.github.seplab.SepLab.svg \
        -o "${size}x${size}/io.github.seplab.SepLab.png"
done
