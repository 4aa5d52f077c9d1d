#!/usr/bin/env bash
# Rebuilds face68.onnx and kaggle15.onnx with the commands and seed the committed files came from (PROVENANCE.md beside
# this script). Run from the repository root with the data at ../shared/data (or KEYPOINTS_DATA set):
#
#   bash src/Keypoints.MLNet.Models/models/build.sh [WORK_DIR] [--shipped-only]
#
# Both are train's default recipe (ResNet-18 with the integral head, the absolute error, the default augmentation with
# flips, test-time flip, Adam at 0.001 times 0.98 per epoch on batches of 32, seed 1) for a fixed number of epochs
# instead of the 30-minute budget, so the result does not depend on the machine's speed. Each model is trained twice:
#   - the card run, on the training file alone, validating on the validation file (the model card's figures, on persons
#     the run never saw); the epoch with the best validation RMSE is kept;
#   - the shipped run, the same command on the training and validation files together, without validation; the last
#     epoch is kept. Its output is exported with int8 weights into this folder.
# About 20 to 35 minutes per run at two threads on 2 quiet CPU cores (PROVENANCE.md gives each run's time); --shipped-only
# skips the card runs. The runs are seeded; another thread
# count or CPU may change the last digits.
set -euo pipefail
data=${KEYPOINTS_DATA:-../shared/data}
work=model-build
card=true
for argument in "$@"; do
  case $argument in
    --shipped-only) card=false ;;
    -*) echo "build.sh: unknown option $argument (usage: build.sh [WORK_DIR] [--shipped-only])" >&2; exit 2 ;;
    *) work=$argument ;;
  esac
done
models=$(dirname "$0")
mkdir -p -- "$work"
keypoints() { dotnet run -c Release --project src/Keypoints.Cli -- "$@"; }
# The terms of the data, recorded in each model (keypoints info prints them).
terms="Research use only: learned from YouTube Faces video frames with iBUG 68-point labels, which are published for \
research with no grant for commercial use; for anything else, train a model on data you may use."

# name, data folder, training file, epochs, then any train options beyond the defaults
build() {
  local name=$1 folder=$2 training=$3 epochs=$4
  shift 4
  local recipe=(--epochs "$epochs" --max-minutes 0 --seed 1 --terms "$terms" "$@")
  if $card; then
    keypoints train --data "$data/$folder/$training" --validation "$data/$folder/validation.csv" "${recipe[@]}" --patience 0 \
      --out "$work/$name-card.zip" | tee "$work/$name-card.log"
    # The card's figures: keypoints evaluate --model "$work/$name-card.onnx" --data ... (PROVENANCE.md lists them).
    keypoints export --model "$work/$name-card.zip" --out "$work/$name-card.onnx" --weights int8
  fi
  keypoints train --data "$data/$folder/$training" --data "$data/$folder/validation.csv" --validation-fraction 0 "${recipe[@]}" \
    --out "$work/$name.zip" | tee "$work/$name.log"
  # int8 weights: a quarter of the size, the same accuracy and speed (README, "Weight formats").
  keypoints export --model "$work/$name.zip" --out "$models/$name.onnx" --weights int8
}

build face68 landmarks68 train.csv 130
build kaggle15 fkd training.csv 100
sha256sum "$models/face68.onnx" "$models/kaggle15.onnx"
