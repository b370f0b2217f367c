#!/usr/bin/env bash
# The GPU check of issue 6: the GPU tests (tests/test_gpu.py on a real GPU), then the GPU benchmark
# (scripts/bench_gpu.py), in under 5 minutes. It installs nothing and changes nothing in the repo.
#
# With the device tool (its python3 already holds CuPy, PyTorch with CUDA, NumPy, pytest and hypothesis;
# nothing needs carrying), from the repo root, one call:
#     run(command="bash scripts/gpu_check.sh", timeout_s=420)
# The logs also land in $OUT (gpu_tests.log, gpu_bench.log) when that is set, so they come back as files.
# Elsewhere: PYTHON=/path/to/python bash scripts/gpu_check.sh, with a Python that has rtorch's needs,
# CuPy for the machine's CUDA (pip install cupy-cuda12x or cupy-cuda13x) and PyTorch with CUDA.
# Exit status: 0 when the tests pass and the benchmark ran, 1 otherwise (no GPU included).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LOGS=${OUT:-$(mktemp -d)}
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
start=$SECONDS

echo "== gpu_check: environment"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PY" - <<'EOF' || { echo "gpu_check: FAILED: cannot import rtorch with $PY"; exit 1; }
import platform, numpy, rtorch
try:
    import cupy
    cupy_version = cupy.__version__
except Exception as exc:
    cupy_version = f"not importable ({exc.__class__.__name__}: {exc})"
try:
    import torch
    torch_version = f"{torch.__version__}, CUDA available: {torch.cuda.is_available()}"
except Exception:
    torch_version = "not importable"
print(f"Python {platform.python_version()}, NumPy {numpy.__version__}, CuPy {cupy_version}, PyTorch {torch_version}")
print(f"rtorch: cuda_is_available() = {rtorch.cuda_is_available()}, cuda_device_count() = {rtorch.cuda_device_count()}")
EOF
if ! "$PY" -c "import sys, rtorch; sys.exit(0 if rtorch.cuda_is_available() else 1)"; then
  echo "gpu_check: FAILED: no usable GPU (rtorch.cuda_is_available() is FALSE); nothing was checked"
  exit 1
fi

echo
echo "== gpu_check: GPU tests: $PY -m pytest tests/test_gpu.py (the 'gpu' cases run, the stand-in's too)"
timeout 200 "$PY" -m pytest -p no:cacheprovider -q -rs tests/test_gpu.py 2>&1 | tee "$LOGS/gpu_tests.log"
tests=${PIPESTATUS[0]}

echo
echo "== gpu_check: GPU benchmark: $PY scripts/bench_gpu.py (n = 1,000,000, hidden = 256; mm 8192; add 1e8)"
timeout 200 "$PY" scripts/bench_gpu.py 2>&1 | tee "$LOGS/gpu_bench.log"
bench=${PIPESTATUS[0]}

echo
echo "== gpu_check: summary after $((SECONDS - start)) s"
echo "GPU tests:     $([ "$tests" = 0 ] && echo passed || echo "FAILED (exit $tests)")"
echo "GPU benchmark: $([ "$bench" = 0 ] && echo ran || echo "FAILED (exit $bench)") (targets: the 'met' column)"
[ "$tests" = 0 ] && [ "$bench" = 0 ]
