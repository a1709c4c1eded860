"""Errors the model server and the remote lab can raise; each carries a message key and its params.

The page shows `ui.t(error.key, **error.params)`; retrying (with backoff) is the page's decision.
"""

from ops.errors import UserFacingError

SERVE_URL_ENV = "PIXELWISE_SERVE_URL"
RAY_ADDRESS_ENV = "PIXELWISE_RAY_ADDRESS"


class ServingError(UserFacingError, RuntimeError):
    """Base: a message key for the catalogs (one per class), named placeholders, and an English text for logs.

    Also a RuntimeError: code that runs a model catches server trouble as it catches a failing forward."""

    key = "serving.error"

    def __init__(self, detail: str = "", **params):
        Exception.__init__(self, f"{self.key}: {detail}" if detail else self.key)
        self.params = params


class ModelServerBusy(ServingError):
    """The model's queue is full (HTTP 503): nothing was lost, the photo can simply be sent again."""

    key = "serving.busy"


class ModelServerUnavailable(ServingError):
    """The model server cannot be reached, or answered with something that is not a segmentation."""

    key = "serving.unavailable"


class RemoteTrainingCancelled(ServingError):
    """A lab training on Ray was cancelled before it finished."""

    key = "serving.lab_cancelled"
