"""A process-wide cache that builds each value once, safe to fill from any thread.

Unlike functools.lru_cache, two threads asking for the same missing key do not both build it: the
second waits for the first (a student's first request waits for the warm-up thread's training instead
of training a second copy). Values are shared, not copied: treat them as read only.

    from ops.memo import SharedCache, shared
    figures = SharedCache(maxsize=256)
    fig = figures.get(("sweep", "pasture", 32, "en"), lambda: build())

    @shared(maxsize=4)
    def trained(seed: int): ...
"""

import functools
import threading
from collections import OrderedDict


class SharedCache:
    """key → value, least recently used evicted past `maxsize`; each key built once (single flight)."""

    def __init__(self, maxsize: int = 128):
        self.maxsize = maxsize
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict = {}

    def get(self, key, build):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:  # another thread built it while this one waited
                    return self._values[key]
            try:
                value = build()
            except BaseException:
                with self._lock:
                    self._building.pop(key, None)
                raise
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.maxsize:
                    self._values.popitem(last=False)
                self._building.pop(key, None)
        return value

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._values

    def keys(self) -> list:
        with self._lock:
            return list(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def shared(maxsize: int = 32, ignore: tuple[str, ...] = ()):
    """Decorator: a function's results in a SharedCache keyed by its arguments (keyword `ignore`d ones
    such as a progress callback are passed through but not part of the key)."""

    def decorate(function):
        cache = SharedCache(maxsize)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            key = (args, tuple(sorted((k, v) for k, v in kwargs.items() if k not in ignore)))
            return cache.get(key, lambda: function(*args, **kwargs))

        def contains(*args, **kwargs) -> bool:
            return (args, tuple(sorted((k, v) for k, v in kwargs.items() if k not in ignore))) in cache

        wrapper.cache = cache
        wrapper.cache_contains = contains
        wrapper.cache_clear = cache.clear
        return wrapper

    return decorate
