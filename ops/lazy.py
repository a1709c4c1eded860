"""Lazy public names for a package: `import ops` stays cheap, and each name loads its module on first use."""

import sys
from importlib import import_module


def lazy_getattr(package: str, table: dict[str, str]):
    """A module-level __getattr__ for `package` that imports `table[name]` when `name` is first asked for."""

    def __getattr__(name):
        if name in table:
            value = getattr(import_module(table[name]), name)
            setattr(sys.modules[package], name, value)  # later look-ups skip this function
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
