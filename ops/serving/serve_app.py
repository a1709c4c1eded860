"""The model server: one Ray Serve application per model, batching photos across students.

Each model is its own deployment at /<model name>, so a slow model never queues behind a fast one and
each has its own bounded queue: past max_queued_requests Serve answers 503, which the client turns into
ModelServerBusy ("busy, retrying"). @serve.batch gathers the photos that arrive within a short window
into one forward pass (ops.serving.batch: the same code as segment()). A replica takes a quarter GPU
where the cluster has one, so four models share a card.

    python -m ops.serving.serve_app --address 127.0.0.1:6379 --http-port 8000 --models espnetv2_s_2.0_pascal_384x384
"""

import argparse
import os
from pathlib import Path

from ray import serve
from starlette.requests import Request
from starlette.responses import Response

from ops.serving.wire import BadPayload, decode_photo, encode_result

ROOT = Path(__file__).resolve().parents[2]
MAX_BATCH_SIZE = 16
BATCH_WAIT_TIMEOUT_S = 0.05  # how long the first photo of a batch waits for others: 50 ms of latency at most
GPU_FRACTION = 0.25


@serve.deployment
class SegmentModel:
    """One model, loaded once per replica; photos in, segmentations (.npz) out."""

    def __init__(self, model: str, threads: int = 1, device: str | None = None):
        import torch

        from ops.segmentation.pipeline import load_model

        torch.set_num_threads(threads)
        self.loaded = load_model(model, device)

    @serve.batch(max_batch_size=MAX_BATCH_SIZE, batch_wait_timeout_s=BATCH_WAIT_TIMEOUT_S)
    async def _segment(self, items: list[tuple]) -> list[bytes]:
        from ops.serving.batch import segment_batch

        photos, sizes, keep = zip(*items)
        answers = segment_batch(self.loaded, list(photos), list(sizes), list(keep))
        return [encode_result(answer) for answer in answers]

    async def __call__(self, request: Request) -> Response:
        if request.method == "GET":  # a health check: which model, on what device, in which process
            return Response(f"{self.loaded.spec.name} on {self.loaded.device} pid {os.getpid()}\n",
                            media_type="text/plain")
        try:
            photo = decode_photo(await request.body())
            size = int(request.query_params["size"]) if "size" in request.query_params else None
        except (BadPayload, ValueError) as error:
            return Response(f"bad request: {error}\n", status_code=400, media_type="text/plain")
        keep = request.query_params.get("keep_scores", "0") == "1"
        body = await self._segment((photo, size, keep))
        return Response(body, media_type="application/octet-stream")


def cluster_has_gpu() -> bool:
    import ray

    return ray.is_initialized() and ray.cluster_resources().get("GPU", 0) > 0


def build_app(model: str, *, num_cpus: float = 1.0, replicas: int = 1, max_ongoing_requests: int = 2 * MAX_BATCH_SIZE,
              max_queued_requests: int = 64, threads: int = 1, gpu: bool | None = None):
    """The bound Serve application of one model (GPU fraction only where the cluster has a GPU)."""
    gpu = cluster_has_gpu() if gpu is None else gpu
    env = {"PYTHONPATH": str(ROOT)}
    if os.environ.get("PIXELWISE_WEIGHTS"):
        env["PIXELWISE_WEIGHTS"] = os.environ["PIXELWISE_WEIGHTS"]
    actor = {"num_cpus": num_cpus, "runtime_env": {"env_vars": env}}
    if gpu:
        actor["num_gpus"] = GPU_FRACTION
    deployment = SegmentModel.options(name=f"segment-{model}", num_replicas=replicas, ray_actor_options=actor,
                                      max_ongoing_requests=max_ongoing_requests,
                                      max_queued_requests=max_queued_requests)
    return deployment.bind(model, threads, "cuda" if gpu else "cpu")


def application(args: dict):
    """Serve's application builder for a config file (KubeRay's serveConfigV2): args name the model."""
    return build_app(args["model"], num_cpus=float(args.get("num_cpus", 1)), threads=int(args.get("threads", 1)),
                     max_queued_requests=int(args.get("max_queued_requests", 64)), gpu=args.get("gpu"))


def deploy(models: list[str], http_port: int = 8000, **options) -> str:
    """Start Serve's HTTP proxy on loopback and one application per model; the base URL for the client."""
    serve.start(http_options={"host": "127.0.0.1", "port": http_port})
    for model in models:
        serve.run(build_app(model, **options), name=model, route_prefix=f"/{model}", blocking=False)
    return f"http://127.0.0.1:{http_port}"


def default_models() -> list[str]:
    """The best semantic model whose weights are present (a class rarely needs more than one)."""
    from ops.segmentation.registry import best_available

    return [best_available("semantic").name]


def main(argv=None) -> None:
    import ray

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", required=True, help="the Ray head, host:port")
    parser.add_argument("--http-port", type=int, default=8000)
    parser.add_argument("--models", default="", help="comma-separated registry names (default: the best present)")
    parser.add_argument("--num-cpus", type=float, default=1.0)
    parser.add_argument("--max-queued-requests", type=int, default=64)
    args = parser.parse_args(argv)
    ray.init(address=args.address, namespace="pixelwise", runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    models = [m for m in args.models.split(",") if m] or default_models()
    url = deploy(models, args.http_port, num_cpus=args.num_cpus, max_queued_requests=args.max_queued_requests)
    print(url, flush=True)


if __name__ == "__main__":
    main()
