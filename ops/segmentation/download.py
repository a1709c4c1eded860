"""Download a weights file safely: streamed, hashed, and renamed into place only when its sha256 matches.

A failed, interrupted or wrong download never leaves a file under the real name, so a later look for
weights never mistakes half a file for a model. Callers turn DownloadFailed (key download.failed or
download.wrong_sha256) into their own message saying which file is missing and where to put it.
"""

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ops.errors import UserFacingError

DOWNLOAD_TIMEOUT_S = 30
CHUNK = 1 << 16  # 64 KiB: a smooth progress bar even for the 0.5 MB checkpoints


class DownloadFailed(UserFacingError):
    """Why a download did not give the expected file, as a message key and its values (no file was left behind)."""


def download_verified(url: str, target: Path, sha256: str | None, expected_bytes: int, progress=None) -> Path:
    """Fetch `url` to `target`; `sha256` is the full hash or a prefix of it (None: not checked).

    progress(done_bytes, total_bytes) is called after every chunk; the total comes from Content-Length,
    else `expected_bytes`.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    part = tempfile.NamedTemporaryFile(dir=target.parent, prefix=target.name + ".", suffix=".part", delete=False)
    part_path = Path(part.name)
    try:
        digest, done = hashlib.sha256(), 0
        try:
            with part, urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else expected_bytes
                if progress is not None:
                    progress(0, total)
                while block := response.read(CHUNK):
                    part.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, total)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise DownloadFailed("download.failed", reason=str(reason)) from error
        if sha256 and not digest.hexdigest().startswith(sha256):
            raise DownloadFailed("download.wrong_sha256", got_bytes=done, got_sha256=digest.hexdigest(),
                                 expected_sha256=sha256[:16])
        os.replace(part_path, target)
        return target
    finally:
        part_path.unlink(missing_ok=True)
