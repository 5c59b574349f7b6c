#!/usr/bin/env bash
# Builds the .deb from an already built tree with `cpack -G DEB` (into a temporary folder, so the
# build tree gets no package) and checks what a user would get: the exact installed paths, a
# Depends line that dpkg-shlibdeps filled (LibTorch's Debian package among it), binaries that
# carry no build-tree RPATH and still run once stripped, icons of the sizes their folders claim,
# and desktop file, metainfo and package that agree on names and version.
set -euo pipefail
cpack=$1
build_dir=$2
version=$3
gui=$4 # ON or OFF (SEPLAB_GUI)
app_id=$5
icon_sizes=$6 # "48 128 256"
resources=$7  # the source tree's resources/ folder

fail() {
    echo "packaging_deb_contents: $*" >&2
    exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cpack reads CPackConfig.cmake from the current folder and installs the build tree from there.
(cd "$build_dir" && "$cpack" -G DEB -B "$work/out") >"$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }

arch=$(dpkg --print-architecture)
deb="$work/out/seplab_${version}_${arch}.deb"
[ -f "$deb" ] || fail "expected $(basename "$deb"), cpack wrote: $(ls "$work/out")"

# Field 6 of `dpkg-deb -c` is the path (links add "-> target" after it).
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
expect_path() {
    grep -qxF -- "$1" <<<"$contents" || fail "the package lacks $1"
}
refuse_path() {
    if grep -qxF -- "$1" <<<"$contents"; then fail "the package holds $1"; fi
}

expect_path ./usr/bin/seplab-cli
share=./usr/share
gui_paths=(
    ./usr/bin/seplab
    "$share/applications/$app_id.desktop"
    "$share/metainfo/$app_id.metainfo.xml"
    "$share/icons/hicolor/scalable/apps/$app_id.svg"
)
for size in $icon_sizes; do
    gui_paths+=("$share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
if [ "$gui" = ON ]; then
    for path in "${gui_paths[@]}"; do expect_path "$path"; done
else
    # A menu entry in a headless package would launch a program that is not there.
    for path in "${gui_paths[@]}"; do refuse_path "$path"; done
fi

[ "$(dpkg-deb -f "$deb" Package)" = seplab ] || fail "Package is not seplab"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] \
    || fail "Version is '$(dpkg-deb -f "$deb" Version)', the project's is $version"

depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || fail "Depends is empty: dpkg-shlibdeps did not run"
# Debian ships libtorch.so, libtorch_cpu.so and libc10.so in libtorch<soversion> (libtorch1.13 on
# Debian 12), whose shlibs file maps each of them to that package.
grep -qE '(^|, )libtorch[0-9.]+ ' <<<"$depends" \
    || fail "Depends names no libtorch package: $depends"
grep -qE '(^|, )libc6 ' <<<"$depends" || fail "Depends lacks libc6: $depends"
if [ "$gui" = ON ]; then
    grep -qE '(^|, )libqt6widgets6 ' <<<"$depends" || fail "Depends lacks Qt 6 Widgets: $depends"
elif grep -qE 'libqt6' <<<"$depends"; then
    fail "the headless package depends on Qt 6: $depends"
fi

root="$work/root"
dpkg-deb -x "$deb" "$root"
binaries=("$root/usr/bin/seplab-cli")
if [ "$gui" = ON ]; then binaries+=("$root/usr/bin/seplab"); fi
for binary in "${binaries[@]}"; do
    # Every library comes from Debian's system folders, so an installed RPATH could only point
    # into the build tree (which the user does not have).
    rpath=$(readelf -d "$binary" | grep -E '\((RPATH|RUNPATH)\)' || true)
    [ -z "$rpath" ] || fail "$(basename "$binary") keeps an RPATH: $rpath"
    # Stripped binaries keep no section of DWARF debug information. (The section list is read
    # whole first: `grep -q` in the pipe would stop readelf early, and pipefail would call the
    # match a failure.)
    sections=$(readelf -S "$binary")
    if grep -qF .debug_info <<<"$sections"; then fail "$(basename "$binary") is not stripped"; fi
done

# Every plan template and baseline config, byte for byte, in both packages; and every plan's
# base_config (`../configs/X.yaml`) resolves to an installed file, as it does in the source tree.
for folder in plans configs; do
    for source in "$resources/$folder"/*.yaml; do
        installed="$root/usr/share/seplab/$folder/$(basename "$source")"
        [ -f "$installed" ] || fail "the package lacks /usr/share/seplab/$folder/$(basename "$source")"
        cmp -s "$source" "$installed" || fail "$installed differs from $source"
    done
    count_source=$(find "$resources/$folder" -name '*.yaml' | wc -l)
    count_installed=$(find "$root/usr/share/seplab/$folder" -type f | wc -l)
    [ "$count_source" = "$count_installed" ] \
        || fail "/usr/share/seplab/$folder holds $count_installed files, resources/$folder $count_source yaml files"
done
for plan in "$root/usr/share/seplab/plans"/*.yaml; do
    while read -r base; do
        [ -f "$(dirname "$plan")/$base" ] \
            || fail "$(basename "$plan")'s base_config $base is not installed"
    done < <(sed -n 's/^ *base_config: *\([^ #]*\).*/\1/p' "$plan")
done

# The packed, stripped binaries still run, with the system's libraries alone.
cli_version=$("$root/usr/bin/seplab-cli" --version)
[[ "$cli_version" == "seplab-cli $version "* ]] \
    || fail "seplab-cli --version printed '$cli_version'"

if [ "$gui" = ON ]; then
    gui_version=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/seplab" --version)
    [ "$gui_version" = "SepLab $version" ] || fail "seplab --version printed '$gui_version'"

    data="$root/usr/share"
    desktop="$data/applications/$app_id.desktop"
    metainfo="$data/metainfo/$app_id.metainfo.xml"
    # The desktop file launches a packaged program and names the packaged icon.
    exec_program=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
    [ "$exec_program" = seplab ] || fail "the desktop file's Exec runs '$exec_program', not seplab"
    icon=$(sed -n 's/^Icon=//p' "$desktop")
    [ "$icon" = "$app_id" ] || fail "the desktop file's Icon is '$icon', not $app_id"
    # Software centres find the desktop file by the metainfo's launchable.
    grep -qF "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
        || fail "the metainfo's launchable is not $app_id.desktop"
    grep -qF "<id>$app_id</id>" "$metainfo" || fail "the metainfo's id is not $app_id"
    # The newest release, listed first, is the one being packaged.
    release=$(grep -m 1 -o '<release version="[^"]*"' "$metainfo" | cut -d'"' -f2)
    [ "$release" = "$version" ] || fail "the metainfo's newest release is '$release', not $version"

    # A PNG's width and height are the big-endian 32-bit words at bytes 16 and 20 (IHDR).
    for size in $icon_sizes; do
        png="$data/icons/hicolor/${size}x${size}/apps/$app_id.png"
        name=".${png#"$root"}"
        [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
            || fail "$name is not a PNG"
        read -r width height < <(od -An -tu1 -j16 -N8 "$png" \
            | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
        [ "$width $height" = "$size $size" ] \
            || fail "$name is ${width}x${height}, not ${size}x${size}"
    done
    grep -q '<svg' "$data/icons/hicolor/scalable/apps/$app_id.svg" \
        || fail "the scalable icon is no SVG"
fi

echo "$(basename "$deb"): $(stat -c %s "$deb") bytes; Depends: $depends"
