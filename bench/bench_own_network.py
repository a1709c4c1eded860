"""The "Your own network" lab's figures: each project model exported to ONNX at one size, then read, walked and
measured by inspect_onnx (load + analysis, its timing runs included), onnxruntime vs torch per image, and the
effective field's autograd pass. One process, models one after another, torch's own thread count.

    .venv/bin/python bench/bench_own_network.py [--size 512] [--models tiny lraspp_mobilenet_v3_large ...]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops.own_network.choices import PROJECT_MODELS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--models", nargs="*", default=list(PROJECT_MODELS))
    args = parser.parse_args()

    import torch

    from ops.own_network import effective_field, inspect_onnx
    from ops.own_network.exports import export_project_model

    print(f"size {args.size} px, torch threads {torch.get_num_threads()}")
    header = ("model", "weights", "MB", "export s", "load+analysis s", "ORT ms", "torch ms", "torch/ORT", "GFLOPs",
              "params M", "OS", "field px", "eff. field s")
    print(" | ".join(header))
    for name in args.models:
        exported = export_project_model(name, args.size)
        start = time.perf_counter()
        anatomy = inspect_onnx(exported.data, (args.size, args.size))
        analysis = time.perf_counter() - start
        start = time.perf_counter()
        effective_field(anatomy)
        field_s = time.perf_counter() - start
        ratio = anatomy.torch_ms / anatomy.ort_ms if anatomy.torch_ms and anatomy.ort_ms else float("nan")
        print(" | ".join(str(v) for v in (
            name, "random" if exported.random_weights else "trained", f"{len(exported.data) / 2**20:.1f}",
            f"{exported.seconds:.1f}", f"{analysis:.1f}", f"{anatomy.ort_ms:.0f}", f"{anatomy.torch_ms:.0f}",
            f"{ratio:.2f}", f"{anatomy.flops / 1e9:.1f}", f"{anatomy.params / 1e6:.2f}", anatomy.output_stride,
            anatomy.receptive_field, f"{field_s:.1f}")), flush=True)


if __name__ == "__main__":
    main()
