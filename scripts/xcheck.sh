#!/usr/bin/env bash
# Cross-checks one training step (forward in training mode, mean cross-entropy, backward) of every zoo
# model that has a twin in the PyTorch peer against PyTorch: logits, loss, every parameter gradient and
# BatchNorm's updated running statistics. Each model runs twice: in float32 (judged against float32 torch,
# tol 1e-4) and in float64 (judged against float64 torch, tol 1e-9).
#
#   scripts/xcheck.sh [MODEL...]          default: mlp cnn allcnnc resnet20 vit
# Environment: PEER (torch_peer.py, default ../shared/peers/torch_peer.py next to the repo),
#   TORCH_PYTHON (default /usr/bin/python3, which has Debian's torch), XCHECK_DIR (default target/xcheck),
#   XCHECK_DTYPES (default "f32 f64"), XCHECK_SEED (default 0).
# Exit status 0 when every check passes. Full tables: $XCHECK_DIR/<model>-<dtype>/report.txt.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
peer="${PEER:-$root/../shared/peers/torch_peer.py}"
python="${TORCH_PYTHON:-/usr/bin/python3}"
out="${XCHECK_DIR:-$root/target/xcheck}"
seed="${XCHECK_SEED:-0}"
read -r -a dtypes <<< "${XCHECK_DTYPES:-f32 f64}"
models=("$@")
[[ ${#models[@]} -eq 0 ]] && models=(mlp cnn allcnnc resnet20 vit)

if [[ ! -f "$peer" ]]; then
  echo "xcheck: PyTorch peer not found at $peer; set PEER=/path/to/torch_peer.py" >&2
  exit 2
fi
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "xcheck: $python cannot import torch; set TORCH_PYTHON to an interpreter that can" >&2
  exit 2
fi

summary=()
status=0
for m in "${models[@]}"; do
  for d in "${dtypes[@]}"; do
    dir="$out/$m-$d"
    if ! ./autoinit xcheck-export --model "$m" --out "$dir" --dtype "$d" --seed "$seed" >&2; then
      summary+=("$(printf '%-10s %-4s EXPORT FAILED' "$m" "$d")")
      status=1
      continue
    fi
    "$python" scripts/torch_xcheck.py "$dir" --peer "$peer" > "$dir/report.txt" 2>&1
    rc=$?
    [[ $rc -ne 0 ]] && status=1
    last="$(tail -n 1 "$dir/report.txt")"
    # On failure show the failing rows (on a pass after the ReLU-kink check they are explained in the report).
    [[ $rc -ne 0 ]] && { grep -E ' FAIL$' "$dir/report.txt" >&2 || tail -n 3 "$dir/report.txt" >&2; }
    summary+=("$(printf '%-10s %-4s %s' "$m" "$d" "$last")")
  done
done
echo
echo "PyTorch cross-check (seed $seed, reports in $out):"
printf '%s\n' "${summary[@]}"
exit $status
