#!/usr/bin/env bash
# Photos per second of `keypoints faces --model face68 --data PHOTOS.csv` as a whole process (start to exit) against
# dlib's HOG face detector (each photo upsampled once) and 68-point shape predictor on the same photos, in the same run;
# then the library's own photos per second and the time of each stage of a photo (Keypoints.Benchmarks --photos).
#
# usage: benchmarks/photo-speed/run.sh [--runs N] [--data PHOTOS.csv] [--no-library]
#   --runs N      rounds of the processes, alternated, after one warm-up round of the CLI (default 3); medians printed
#   --data CSV    the photos (default ../shared/data/photos/scenes.csv: 150 pictures of 640 x 480)
#   --no-library  skip the in-process figures
# needs: the Release build (dotnet build Keypoints.sln -c Release); for dlib, g++ and Debian's libdlib-dev and
#        libdlib-data (apt-get install -y g++ libdlib-dev libdlib-data): dlib_faces.cpp is compiled twice, with the
#        flags Debian compiles C++ with (-O2, any x86-64 processor), and tuned for this processor (-O3 -march=native).
# env:   KEYPOINTS_CLI  the CLI's dll (default: this checkout's Release build)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3
data=$root/../shared/data/photos/scenes.csv
library=1
while [ $# -gt 0 ]; do
    case $1 in
    --runs) runs=$2 && shift 2 ;;
    --data) data=$2 && shift 2 ;;
    --no-library) library=0 && shift ;;
    *) echo "usage: $0 [--runs N] [--data PHOTOS.csv] [--no-library]" >&2 && exit 2 ;;
    esac
done
cli=${KEYPOINTS_CLI:-$root/src/Keypoints.Cli/bin/Release/net10.0/Keypoints.Cli.dll}
benchmarks=$root/benchmarks/Keypoints.Benchmarks/bin/Release/net10.0/Keypoints.Benchmarks.dll
predictor=$(ls /usr/share/dlib/shape_predictor_68_face_landmarks.dat 2>/dev/null || true)

missing=()
[ -f "$cli" ] || missing+=("the CLI's Release build ($cli): dotnet build Keypoints.sln -c Release")
[ -f "$data" ] || missing+=("the photos ($data): pass --data PHOTOS.csv")
command -v g++ >/dev/null || missing+=("g++: apt-get install -y g++")
[ -f /usr/include/dlib/image_processing/frontal_face_detector.h ] && pkg-config --exists dlib-1 \
    || missing+=("dlib's headers and library: apt-get install -y libdlib-dev")
[ -n "$predictor" ] || missing+=("dlib's 68-point shape predictor: apt-get install -y libdlib-data")
if [ ${#missing[@]} -gt 0 ]; then
    echo "error: benchmarks/photo-speed/run.sh needs:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 3
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/photo-speed.XXXX")
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2046 # pkg-config's words are the compiler's arguments
g++ -std=c++17 -O2 -DNDEBUG "$here/dlib_faces.cpp" $(pkg-config --cflags --libs dlib-1) -o "$work/dlib-debian"
# shellcheck disable=SC2046
g++ -std=c++17 -O3 -march=native -DNDEBUG "$here/dlib_faces.cpp" $(pkg-config --cflags --libs dlib-1) \
    -o "$work/dlib-native"
photos=$(tail -n +2 "$data" | cut -d, -f1 | sort -u | wc -l)
cat "$predictor" "$(dirname "$data")"/*/* >/dev/null 2>&1 || true

# The processes, alternated round by round.
labels=("keypoints faces --data (one photo per core)" "keypoints faces --data --threads 1" "keypoints --version"
    "dlib, Debian's flags (-O2)" "dlib, tuned (-O3 -march=native)")
process() {
    case $1 in
    0) dotnet "$cli" faces --model face68 --data "$data" --out "$work/faces.csv" ;;
    1) dotnet "$cli" faces --model face68 --data "$data" --out "$work/faces-1.csv" --threads 1 ;;
    2) dotnet "$cli" --version ;;
    3) "$work/dlib-debian" "$data" "$predictor" "$work/dlib-debian.csv" ;;
    4) "$work/dlib-native" "$data" "$predictor" "$work/dlib-native.csv" ;;
    esac
}
process 0 >/dev/null
for ((round = 0; round < runs; round++)); do
    for c in "${!labels[@]}"; do
        start=$(date +%s.%N)
        process "$c" >"$work/out"
        end=$(date +%s.%N)
        awk -v c="$c" -v a="$start" -v b="$end" 'BEGIN { print c, b - a }' >>"$work/times"
        # The CLI's own clock: from the first photo's decoding to the last photo's keypoints.
        sed -n 's/.* images, \([0-9.]*\) s (.*/\1/p' "$work/out" | sed "s/^/$c /" >>"$work/scoring"
        grep -o '^dlib: .*' "$work/out" >"$work/dlib-$c" || true
    done
done

calc() { awk "BEGIN { print $* }"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
of() { awk -v c="$1" '$1 == c { print $2 }' "$2" | median; }
debian=$(of 3 "$work/times")
native=$(of 4 "$work/times")
echo "$photos photos of $data; $(nproc) cores; median of $runs runs, alternated; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| process, start to exit | median s | fastest s | photos/s | dlib (Debian's flags) / this | dlib (tuned) / this |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for c in "${!labels[@]}"; do
    m=$(of "$c" "$work/times")
    fastest=$(awk -v c="$c" '$1 == c { print $2 }' "$work/times" | sort -g | head -1)
    rate=$([ "$c" = 2 ] && echo - || calc "sprintf(\"%.1f\", $photos / $m)")
    printf '| %s | %.2f | %.2f | %s | %.2f | %.2f |\n' "${labels[$c]}" "$m" "$fastest" "$rate" \
        "$(calc "$debian / $m")" "$(calc "$native / $m")"
done
echo
for c in 0 1; do
    scoring=$(of "$c" "$work/scoring")
    printf '%s: %.2f s scoring the photos (the CLI'"'"'s clock), %.2f s the rest (runtime, model, sessions, CSV)\n' \
        "${labels[$c]}" "$scoring" "$(calc "$(of "$c" "$work/times") - $scoring")"
done
cat "$work/dlib-3" "$work/dlib-4"
echo "faces found: keypoints $(($(wc -l <"$work/faces.csv") - 1)), dlib $(($(wc -l <"$work/dlib-native.csv") - 1))"
cmp -s "$work/faces.csv" "$work/faces-1.csv" && echo "faces --data wrote the same CSV on one thread as on all cores" \
    || { echo "error: faces --data wrote another CSV with --threads 1" >&2 && exit 1; }

if [ "$library" = 1 ]; then
    echo
    dotnet "$benchmarks" --photos "$data" --model face68 --passes 3 --pipeline-only
fi
