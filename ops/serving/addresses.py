"""Where the model server and the Ray cluster are, read from the environment; None: work in-process.

Standard library only, so deciding costs no Ray or HTTP import."""

import os

from ops.serving.errors import RAY_ADDRESS_ENV, SERVE_URL_ENV


def serve_url() -> str | None:
    """The model server's base URL ($PIXELWISE_SERVE_URL), or None: run models in-process (the default)."""
    url = os.environ.get(SERVE_URL_ENV, "").strip()
    return url.rstrip("/") or None


def ray_address() -> str | None:
    """The Ray cluster for lab trainings ($PIXELWISE_RAY_ADDRESS), or None: train in-process."""
    return os.environ.get(RAY_ADDRESS_ENV, "").strip() or None
