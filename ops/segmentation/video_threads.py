"""A stream's worker thread runs its CPU ops on its own number of threads; the rest of the process keeps torch's.

Why not torch.set_num_threads: it is process-wide in effect. Besides the calling thread's OpenMP setting it
stores the count in a global that every thread started later takes on its first parallel call, and
Streamlit starts a thread for every script run, so one stream would shrink every page of the server.
What is per thread is what that global is copied into: OpenMP's nthreads-var ICV (omp_set_num_threads acts
on the calling thread's data environment) and MKL's thread-local count (mkl_set_num_threads_local). Here
only those two are set, in the calling thread, after torch's own lazy per-thread initialisation (which
would otherwise overwrite them on the thread's first parallel call).

Why one thread by default: at 256 px ESPNetv2's layers are small, and on a 2-core machine forking and
joining a second OpenMP thread for each of them costs more than it gains (bench/bench_video.py prints
both side by side). PIXELWISE_VIDEO_THREADS changes it; 0 leaves torch's process-wide count.
"""

import ctypes
import functools
import os
import re
from pathlib import Path

import torch

THREADS_ENV = "PIXELWISE_VIDEO_THREADS"
DEFAULT_THREADS = 1
_RUNTIME = re.compile(r"lib(gomp|iomp5|omp)[.-]")  # GNU, Intel and LLVM OpenMP runtimes


def stream_threads() -> int | None:
    """Threads a stream's forward runs on (PIXELWISE_VIDEO_THREADS, default 1); None: torch's own count."""
    try:
        count = int(os.environ.get(THREADS_ENV, ""))
    except ValueError:
        return DEFAULT_THREADS
    return None if count <= 0 else count


@functools.cache
def _loaded_libraries() -> tuple[str, ...]:
    """Paths of the shared libraries this process has loaded (Linux: /proc/self/maps), else torch's own."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split(maxsplit=5)[-1].strip() for line in maps if "/" in line}
    except OSError:
        paths = {str(p) for p in (Path(torch.__file__).parent / "lib").glob("lib*")}
    return tuple(sorted(p for p in paths if p.startswith("/")))


@functools.cache
def _openmp_runtime():
    """The OpenMP runtime torch loaded (its wheel's own libgomp), opened again: the same instance, or None."""
    if not torch._C.has_openmp:
        return None
    for path in _loaded_libraries():
        if _RUNTIME.search(Path(path).name):
            try:
                runtime = ctypes.CDLL(path)
                runtime.omp_set_num_threads.argtypes = [ctypes.c_int]
                return runtime
            except (OSError, AttributeError):
                continue
    return None


@functools.cache
def _mkl_local():
    """MKL's per-thread setter as torch's library exports it (None where torch has no MKL)."""
    if not torch._C.has_mkl:
        return None
    for path in _loaded_libraries():
        if Path(path).name.startswith("libtorch_cpu"):
            try:
                setter = ctypes.CDLL(path).MKL_Set_Num_Threads_Local  # the C entry (lower case: Fortran's)
            except (OSError, AttributeError):
                return None
            setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
            return setter
    return None


def use_threads(count: int | None) -> int:
    """Give the calling thread's torch CPU ops `count` threads (None: leave it); returns the count it now has.

    Other threads, those running now and those started later, keep theirs. Where torch's runtime cannot be
    reached (no OpenMP build), nothing changes and the thread's current count is returned."""
    current = torch.get_num_threads()  # first call in a thread: torch's lazy per-thread init happens here
    if count is None or count == current:
        return current
    runtime = _openmp_runtime()
    if runtime is None:
        return current
    runtime.omp_set_num_threads(max(1, int(count)))
    mkl = _mkl_local()
    if mkl is not None:
        mkl(max(1, int(count)))
    return torch.get_num_threads()
