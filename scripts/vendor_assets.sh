#!/usr/bin/env bash
# Re-fetch the browser files the map needs (no CDN at run time) from the npm registry.
#
# Why a script: the files under static/vendor/ are committed so the app runs offline,
# and this script is the record of exactly where they came from. It uses `npm pack`
# into a temporary folder (no node_modules in the repo), copies only the files the
# map loads plus each package's licence, and prints their sha256 sums for
# static/VENDOR.md.
#
# Usage: scripts/vendor_assets.sh            (from the repository root or anywhere)
set -euo pipefail

LEAFLET_VERSION="1.9.4"
MARKERCLUSTER_VERSION="1.5.3"
FONTAWESOME_VERSION="6.7.2"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package@version> <folder name>; unpacks into $work/<folder>/package
    local spec="$1" name="$2" tarball
    tarball="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
    mkdir -p "$work/$name"
    tar -xzf "$work/$tarball" -C "$work/$name"
}

fetch "leaflet@$LEAFLET_VERSION" leaflet
fetch "leaflet.markercluster@$MARKERCLUSTER_VERSION" markercluster
fetch "@fortawesome/fontawesome-free@$FONTAWESOME_VERSION" fontawesome

rm -rf "$dest/leaflet" "$dest/leaflet.markercluster" "$dest/fontawesome-free"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.markercluster" \
         "$dest/fontawesome-free/css" "$dest/fontawesome-free/webfonts"

src="$work/leaflet/package"
cp "$src/dist/leaflet.js" "$src/dist/leaflet.css" "$src/LICENSE" "$dest/leaflet/"
cp "$src/dist/images/"*.png "$dest/leaflet/images/"

src="$work/markercluster/package"
cp "$src/dist/leaflet.markercluster.js" "$src/dist/MarkerCluster.css" \
   "$src/dist/MarkerCluster.Default.css" "$src/MIT-LICENCE.txt" "$dest/leaflet.markercluster/"

# Font Awesome: the core CSS plus the free *solid* style only, and only its woff2 font
# (every browser Leaflet supports reads woff2; the .ttf fallback is 426 kB).
src="$work/fontawesome/package"
cp "$src/css/fontawesome.min.css" "$src/css/solid.min.css" "$dest/fontawesome-free/css/"
cp "$src/webfonts/fa-solid-900.woff2" "$dest/fontawesome-free/webfonts/"
cp "$src/LICENSE.txt" "$dest/fontawesome-free/"

cd "$dest"
find . -type f | sort | xargs sha256sum
