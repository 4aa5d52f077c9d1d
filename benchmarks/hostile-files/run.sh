#!/usr/bin/env bash
# The hostile image files of make_files.py (a 20000 x 20000 PNG bomb, JPEG and PNG headers that declare 65000 x 65000
# pixels, a truncated JPEG, an empty file, text, and a valid photo) through every entry point that decodes a user's
# photo, with the shipped face68 model. Each command runs in a fresh process under /usr/bin/time (wall time, peak
# resident memory); `serve` runs once, and its peak resident memory so far is read after each upload. Prints a Markdown
# table: entry point, file, seconds, peak RSS in MB, the first line of the answer.
#
# usage: benchmarks/hostile-files/run.sh [FOLDER]     (build first: dotnet build Keypoints.sln -c Release)
# env:   KEYPOINTS_CLI  the CLI's dll (default: this checkout's Release build); another checkout's to measure it
#        SKIP           a grep -E pattern of file names not to run, for a build without the guard ('bomb|lying': they
#                       took 8.4 GB and 101 s, and 16 GB, there)
#        CHAIN_SKIP     the same for the saved photo-model chain, which decodes whatever it is given (default 'lying':
#                       a 65000 x 65000 header makes it allocate 16 GB)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
folder=${1:-$(mktemp -d /tmp/hostile-files.XXXX)}
cli=${KEYPOINTS_CLI:-$root/src/Keypoints.Cli/bin/Release/net10.0/Keypoints.Cli.dll}
app=$root/tests/Keypoints.ScoringOnlyApp/bin/Release/net10.0/Keypoints.ScoringOnlyApp.dll
skip=${SKIP:-'^$'}
chain_skip=${CHAIN_SKIP:-lying}
work=$folder/work
mkdir -p "$work"
python3 "$here/make_files.py" "$folder"
files=$(cd "$folder" && ls ./*.jpg ./*.png | sed 's|^\./||' | grep -Ev "$skip" || true)
coordinates=$(printf ',300,150%.0s' $(seq 68))

# The first non-empty line of the command's error output, else of its output, without the folder's path.
answer() { { grep -m1 . "$work/err" || grep -m1 . "$work/out" || true; } | sed "s|$folder/||g" | cut -c1-140; }

# measure LABEL FILE COMMAND...: one row of the table.
measure() {
    local label=$1 file=$2
    shift 2
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
    read -r seconds kilobytes < <(tail -n 1 "$work/time")
    printf '| %s | %s | %s | %d | %s |\n' "$label" "$file" "$seconds" $((kilobytes / 1024)) "$(answer)"
}

echo "| entry point | file | s | peak RSS MB | answer |"
echo "| --- | --- | ---: | ---: | --- |"
for file in $files; do
    printf 'image\n%s\n' "$file" >"$folder/$file.photos.csv"
    printf 'image%s\n%s%s\n' "$(printf ',x%d,y%d' $(seq 0 67 | sed 'p'))" "$file" "$coordinates" >"$folder/$file.labelled.csv"
    measure "faces --image" "$file" dotnet "$cli" faces --image "$folder/$file" --out "$work/overlay.png"
    measure "Photos.Predict (faces --data)" "$file" \
        dotnet "$cli" faces --data "$folder/$file.photos.csv" --out "$work/faces.csv"
    measure "evaluate --faces" "$file" dotnet "$cli" evaluate --data "$folder/$file.labelled.csv" --faces
    measure "evaluate --faces --photo-model" "$file" \
        dotnet "$cli" evaluate --data "$folder/$file.labelled.csv" --faces --photo-model
done

dotnet "$cli" photo-model --out "$work/photos.zip" >/dev/null
for file in $(echo "$files" | grep -Ev "$chain_skip" || true); do
    measure "saved photo-model chain (plain ML.NET)" "$file" dotnet "$app" photos "$work/photos.zip" "$folder/$file"
done

dotnet "$cli" serve --port 0 >"$work/serve.out" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
until url=$(grep -o 'http://[0-9.:]*' "$work/serve.out"); do sleep 0.2; done
for file in $files; do
    read -r code seconds < <(curl -s -o "$work/out" -w '%{http_code} %{time_total}\n' \
        -H 'Content-Type: application/octet-stream' --data-binary "@$folder/$file" "$url/faces")
    kilobytes=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
    : >"$work/err"
    printf '| serve (peak so far) | %s | %s | %d | %s %s |\n' "$file" "$seconds" $((kilobytes / 1024)) "$code" "$(answer)"
done
