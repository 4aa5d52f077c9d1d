#!/usr/bin/env bash
# Crops and photos per second of a keypoint model against a baseline model, in the same run: by default the face68.onnx
# of this checkout against the face68.onnx of commit 5ecd418 (the direct-regression ResNet-18 shipped before the
# integral head). Each round runs Keypoints.Benchmarks --crops and --photos --pipeline-only for the baseline, then for the
# model; the medians over the rounds and the ratios model / baseline are printed.
#
# usage: benchmarks/model-speed/run.sh [--model FILE] [--baseline FILE|REV] [--rounds N] [--data PHOTOS.csv]
#   --model FILE       the model measured (default src/Keypoints.MLNet.Models/models/face68.onnx)
#   --baseline X       a model file, or a commit whose src/Keypoints.MLNet.Models/models/face68.onnx is taken (default 5ecd418)
#   --rounds N         rounds (default 3)
#   --data CSV         the photos (default ../shared/data/photos/scenes.csv: 150 pictures of 640 x 480)
# needs: the Release build (dotnet build Keypoints.sln -c Release) and a quiet machine: libtorch is not involved, but
#        ONNX Runtime's figures move with anything else that holds a core.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
model=$root/src/Keypoints.MLNet.Models/models/face68.onnx
baseline=5ecd418
rounds=3
data=$root/../shared/data/photos/scenes.csv
while [ $# -gt 0 ]; do
    case $1 in
    --model) model=$2 && shift 2 ;;
    --baseline) baseline=$2 && shift 2 ;;
    --rounds) rounds=$2 && shift 2 ;;
    --data) data=$2 && shift 2 ;;
    *) echo "usage: $0 [--model FILE] [--baseline FILE|REV] [--rounds N] [--data PHOTOS.csv]" >&2 && exit 2 ;;
    esac
done
benchmarks=$root/benchmarks/Keypoints.Benchmarks/bin/Release/net10.0/Keypoints.Benchmarks.dll
[ -f "$benchmarks" ] || { echo "$0: no Release build at $benchmarks: dotnet build Keypoints.sln -c Release" >&2; exit 1; }
[ -f "$model" ] || { echo "$0: no model at $model" >&2; exit 1; }
[ -f "$data" ] || { echo "$0: no photos at $data: pass --data PHOTOS.csv" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -f "$baseline" ]; then
    cp -- "$baseline" "$work/baseline.onnx"
else
    git -C "$root" show "$baseline:src/Keypoints.MLNet.Models/models/face68.onnx" >"$work/baseline.onnx"
fi

# figure NAME: the library's figure of the row that starts with NAME in standard input (the third field from the end).
figure() { grep -F -- "$1" | head -1 | awk '{ print $(NF - 2) }'; }
rows=("PredictionEngine, one crop at a time" "CropKeypointsPredictor (pool), 2 threads"
    "Photos end to end, 1 thread" "Predict(paths, threads), 2 threads")
for round in $(seq "$rounds"); do
    for who in baseline model; do
        file=$work/baseline.onnx
        [ $who = model ] && file=$model
        dotnet "$benchmarks" --crops --model "$file" >"$work/$who-crops-$round.log"
        dotnet "$benchmarks" --photos "$data" --model "$file" --pipeline-only >"$work/$who-photos-$round.log"
        for i in "${!rows[@]}"; do
            cat "$work/$who-crops-$round.log" "$work/$who-photos-$round.log" | figure "${rows[$i]}" >>"$work/$who-$i"
        done
    done
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo "model $model ($(stat -c %s "$model") bytes) against baseline $baseline ($(stat -c %s "$work/baseline.onnx") bytes)"
echo "photos: $data; $rounds rounds; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-52s %10s %10s %7s\n' benchmark baseline model ratio
for i in "${!rows[@]}"; do
    old=$(median "$work/baseline-$i")
    new=$(median "$work/model-$i")
    unit=crops/s
    [ "$i" -ge 2 ] && unit=photos/s
    awk -v n="${rows[$i]} ($unit)" -v o="$old" -v m="$new" 'BEGIN { printf "%-52s %10.1f %10.1f %7.3f\n", n, o, m, m / o }'
done
