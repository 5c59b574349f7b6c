#!/usr/bin/env bash
# The SEPLAB_GUI=OFF build must configure, build and link seplab-cli with no Qt at all: it is
# what runs on GPU servers and cluster nodes. Qt is hidden from CMake here, as if it were not
# installed, and the linked libraries are checked with ldd. Also checks the layering rule that
# core/ and audio/ (apart from playback) never include a Qt header.
set -euo pipefail
source_dir=$1
work_dir=$2

qt_includes=$(grep -rnE '#include *<Q[A-Za-z]|#include *<qt' "$source_dir/core" "$source_dir/audio" \
    | grep -v "^$source_dir/audio/playback/" || true)
if [ -n "$qt_includes" ]; then
    echo "Qt headers in Qt-free layers:" >&2
    echo "$qt_includes" >&2
    exit 1
fi

rm -rf "$work_dir"
cmake -S "$source_dir" -B "$work_dir" -G Ninja -DSEPLAB_GUI=OFF -DBUILD_TESTING=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON >"$work_dir.configure.log" 2>&1 \
    || { cat "$work_dir.configure.log" >&2; exit 1; }
cmake --build "$work_dir" --target seplab-cli >"$work_dir.build.log" 2>&1 \
    || { tail -50 "$work_dir.build.log" >&2; exit 1; }

cli="$work_dir/bin/seplab-cli"
# SepLab's own binary must not ask for any Qt library.
if readelf -d "$cli" | grep NEEDED | grep -i 'qt'; then
    echo "the headless seplab-cli links Qt directly" >&2
    exit 1
fi
# Debian's libtorch_cpu 1.13 itself needs OpenCV's highgui, which loads Qt 5; PyTorch's own
# LibTorch (GPU servers) needs no Qt. So the rule for ldd is: no Qt 6 at all, and no Qt
# library that LibTorch does not bring by itself.
torch_lib=$(ldd "$cli" | awk '/libtorch_cpu/ {print $3}')
qt_of_cli=$(ldd "$cli" | awk '/libQt/ {print $1}' | sort)
qt_of_torch=$(ldd "$torch_lib" | awk '/libQt/ {print $1}' | sort)
if echo "$qt_of_cli" | grep -q 'Qt6'; then
    echo "the headless seplab-cli loads Qt 6: $qt_of_cli" >&2
    exit 1
fi
extra=$(comm -23 <(echo "$qt_of_cli") <(echo "$qt_of_torch") | grep . || true)
if [ -n "$extra" ]; then
    echo "the headless seplab-cli loads Qt libraries that LibTorch does not: $extra" >&2
    exit 1
fi
"$cli" --version | grep -q '^seplab-cli '
"$cli" help | grep -q 'metrics'
echo "headless seplab-cli builds without Qt and runs: $("$cli" --version)"
rm -rf "$work_dir" "$work_dir.configure.log" "$work_dir.build.log"
