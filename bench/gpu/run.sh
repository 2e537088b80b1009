#!/usr/bin/env bash
# The one-shot benchmark of issue 16 for a lent GPU machine: descent's WebGPU rows (bench/webgpu.mjs:
# GEMM fp32 n = 256…4096 in the four transpose layouts, training samples/s of the four rows) and the
# PyTorch CUDA baseline on the same GPU (bench/gpu/torch_cuda_bench.py), combined with issue 16's
# targets into one JSON: $OUT/gpu_bench.json (beside it: run.log and the pieces). About 3–5 minutes;
# every step has its own time limit, so the whole stays under 8.
#
# From the repository root on that machine:
#   node bench/gpu/prepare.mjs          HERE, first: builds bench/gpu/carry/ (about 26 MiB: the library
#                                       bundled with its packages, the webgpu package for linux-x64, the
#                                       1,024 MNIST digits, Chromium's libvulkan.so.1)
#   bash bench/gpu/run.sh               THERE, with bench/gpu/carry carried (the device tool: carry
#                                       ["bench/gpu/carry"]); needs Node ≥ 20 and python3 with torch
#
# Environment: OUT (default bench/gpu/out); PYTHON (a python with torch; default: the first of python3
# and /usr/bin/python3 that imports it); QUICK=1 for fewer sizes and rounds; DRY_RUN=1 to check the
# script on a machine without CUDA (quick; the PyTorch script then runs its --cpu-check on CPU tensors,
# and the WebGPU rows run on whatever adapter there is, SwiftShader included, marked CPU emulation).
#
# Vulkan: Dawn needs the loader libvulkan.so.1 and a driver's ICD. The loader: the system's where
# ldconfig knows one, else the carried copy (LD_LIBRARY_PATH). NVIDIA's ICD: the system's JSON under
# /usr/share/vulkan/icd.d or /etc/vulkan/icd.d, else (containers often mount the driver's libraries
# without it) a JSON written here that points at libGLX_nvidia.so.0, where that library exists.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
OUT=${OUT:-bench/gpu/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec > >(tee "$OUT/run.log") 2>&1
CARRY=bench/gpu/carry
QUICK_FLAG=()
{ [ "${QUICK:-0}" = 1 ] || [ "${DRY_RUN:-0}" = 1 ]; } && QUICK_FLAG=(--quick)
started=$(date +%s)
elapsed() { echo $(($(date +%s) - started)); }

echo "== bench/gpu/run.sh $(date -u +%FT%TZ) in $(pwd), out $OUT"
node_version=$(node --version 2>/dev/null) || { echo "node is missing: Node ≥ 20 is needed"; exit 1; }
# The first Python that imports torch: $PYTHON, python3 on the PATH, Debian's /usr/bin/python3.
PY=""
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
  if "$candidate" -c 'import torch' 2>/dev/null; then PY=$candidate; break; fi
done
torch_version=$([ -n "$PY" ] && "$PY" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo none)
gpus=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo none)
echo "node $node_version; torch $torch_version; GPUs: $gpus"

# The library bundle and the digits: carried, else made here (needs this repo's node_modules).
if [ ! -f "$CARRY/descent.mjs" ]; then
  echo "== $CARRY is missing: preparing it here (needs node_modules)"
  timeout 120 node bench/gpu/prepare.mjs || { echo "prepare failed: carry bench/gpu/carry from a machine with node_modules"; exit 1; }
fi

# The Vulkan loader.
loader=system
if ! { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libvulkan\.so\.1'; then
  if [ -f "$CARRY/lib/libvulkan.so.1" ]; then
    export LD_LIBRARY_PATH="$(pwd)/$CARRY/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    loader="carried ($CARRY/lib/libvulkan.so.1)"
  else
    loader="none found (no system libvulkan.so.1, none carried)"
  fi
fi

# NVIDIA's Vulkan ICD.
icd=$(ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json 2>/dev/null | head -1)
if [ -z "$icd" ] && [ -z "${VK_ICD_FILENAMES:-}" ]; then
  glx=$({ /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -o '/[^ ]*libGLX_nvidia\.so\.0' | head -1)
  if [ -n "$glx" ]; then
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3"}}\n' "$glx" >"$OUT/nvidia_icd.json"
    export VK_ICD_FILENAMES="$OUT/nvidia_icd.json"
    icd="written: $OUT/nvidia_icd.json -> $glx"
  else
    icd="none (no NVIDIA ICD JSON and no libGLX_nvidia.so.0: Dawn sees no NVIDIA Vulkan driver)"
  fi
fi
echo "Vulkan loader: $loader; NVIDIA ICD: ${icd:-$VK_ICD_FILENAMES}"
node -e '
  const fs = require("fs");
  const [file, node, torch, gpus, loader, icd, manifest] = process.argv.slice(1);
  let carry = null;
  try { carry = JSON.parse(fs.readFileSync(manifest, "utf8")); } catch {}
  const environment = { node, torch, gpus: gpus.split("\n"), vulkanLoader: loader, nvidiaIcd: icd, carry };
  fs.writeFileSync(file, JSON.stringify(environment, null, 2) + "\n");
' "$OUT/environment.json" "$node_version" "$torch_version" "$gpus" "$loader" "${icd:-${VK_ICD_FILENAMES:-}}" "$CARRY/manifest.json"

echo "== WebGPU rows ($(elapsed) s)"
timeout 330 node bench/webgpu.mjs --no-chromium --bundle "$CARRY/descent.mjs" --data "$CARRY/data" \
  --out "$OUT/webgpu.json" "${QUICK_FLAG[@]}" \
  || echo "bench/webgpu.mjs failed or timed out (exit $?)"

echo "== PyTorch CUDA baseline ($(elapsed) s)"
torch_flags=(--data "$CARRY/data" --out "$OUT/torch_cuda.json" "${QUICK_FLAG[@]}")
[ "${DRY_RUN:-0}" = 1 ] && torch_flags+=(--cpu-check)
if [ -z "$PY" ]; then
  echo "no Python with torch (tried \$PYTHON, python3, /usr/bin/python3): no baseline"
else
  timeout 150 "$PY" bench/gpu/torch_cuda_bench.py "${torch_flags[@]}" >/dev/null \
    || echo "torch_cuda_bench.py failed or timed out (exit $?)"
fi

echo "== combined ($(elapsed) s)"
node bench/gpu/combine.mjs "$OUT"
echo "== done in $(elapsed) s: $OUT/gpu_bench.json"
