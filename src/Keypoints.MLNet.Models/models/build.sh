#!/usr/bin/env bash
# Rebuilds face68.onnx and kaggle15.onnx with the commands and seed the committed files came from (PROVENANCE.md beside
# this script). Run from the repository root with the data at ../shared/data (or KEYPOINTS_DATA set):
#
#   bash src/Keypoints.MLNet.Models/models/build.sh [WORK_DIR]
#
# Each model is train's default recipe (ResNet-18, the default augmentation with flips, test-time flip, Adam at 0.001 times
# 0.98 per epoch) for a fixed 100 epochs instead of the 30-minute budget, so the result does not depend on the machine's
# speed, on the training file alone, keeping the epoch with the best validation RMSE; the model card's figures are that
# run's validation figures. About 25 minutes per model on 2 quiet CPU cores. The runs are seeded; the committed files were
# trained with OMP_NUM_THREADS=1 (two runs side by side), and another thread count may change the last digits.
set -euo pipefail
data=${KEYPOINTS_DATA:-../shared/data}
work=${1:-model-build}
models=$(dirname "$0")
mkdir -p "$work"
keypoints() { dotnet run -c Release --project src/Keypoints.Samples -- "$@"; }
recipe=(--epochs 100 --max-minutes 0 --patience 0 --seed 1)

keypoints train --data "$data/landmarks68/train.csv" --validation "$data/landmarks68/validation.csv" "${recipe[@]}" \
  --out "$work/face68.zip" | tee "$work/face68.log"
keypoints train --data "$data/fkd/training.csv" --validation "$data/fkd/validation.csv" "${recipe[@]}" \
  --out "$work/kaggle15.zip" | tee "$work/kaggle15.log"

# int8 weights: a quarter of the size, the same accuracy and speed (README, "Weight formats").
keypoints export --model "$work/face68.zip" --out "$models/face68.onnx" --weights int8
keypoints export --model "$work/kaggle15.zip" --out "$models/kaggle15.onnx" --weights int8
sha256sum "$models/face68.onnx" "$models/kaggle15.onnx"
