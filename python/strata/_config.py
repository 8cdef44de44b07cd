"""Configs and overrides as the CLI takes them: a config is a file path or a dict of the same
content (written to a scratch file), overrides are --set strings."""
import contextlib
import json
import os
import tempfile
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _strata

InputError = _strata.InputError
InputError.__doc__ = ("Bad input (config, workload, key, file): the message names the file, key "
                      "or byte and what was expected, exactly as the CLI prints it.")

Config = Union[str, os.PathLike, Mapping[str, Any]]
Overrides = Union[None, Mapping[str, Any], Sequence[str]]


def override_strings(overrides: Overrides) -> List[str]:
    """`--set KEY=VALUE` strings from a dict (JSON values; strings as they are) or strings."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        out = []
        for key, value in overrides.items():
            if hasattr(value, "item") and callable(value.item):
                value = value.item()  # a NumPy scalar, e.g. a value taken from a DataFrame
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, str):
                text = value
            else:
                text = json.dumps(value)
            out.append("%s=%s" % (key, text))
        return out
    if isinstance(overrides, str):
        return [overrides]
    return [str(o) for o in overrides]


# The deepest JSON strata reads (docs/reliability.md): the same limit for a dict.
_MAX_DEPTH = 64


def _plain_json(value: Any, label: str) -> Any:
    """A config dict as plain JSON values, walked without recursion: nesting beyond strata's
    limit, a NaN or an infinity, and values JSON cannot hold are InputErrors naming the key."""
    def convert(v, where):
        if getattr(v, "ndim", None) == 0 and callable(getattr(v, "item", None)):
            v = v.item()  # a NumPy scalar
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            raise InputError("%s: %s: %r is not a JSON number (strata takes finite numbers)"
                             % (label, where or "(top level)", v))
        if v is None or isinstance(v, (bool, int, float, str)):
            return v, None
        if isinstance(v, Mapping):
            return {}, list(v.items())
        if isinstance(v, (list, tuple)):
            return [], list(enumerate(v))
        raise InputError("%s: %s: a %s is not a JSON value" % (label, where or "(top level)",
                                                               type(v).__name__))
    root, items = convert(value, "")
    stack = [(root, items, "", 1)] if items is not None else []
    while stack:
        container, items, where, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise InputError("%s: %s: JSON nested deeper than %d levels (the limit for any "
                             "strata input)" % (label, where, _MAX_DEPTH))
        for key, v in items:
            if isinstance(container, dict) and not isinstance(key, str):
                raise InputError("%s: %s: keys must be strings, got %r" % (label, where, key))
            path = ("%s.%s" % (where, key) if where else str(key)) if isinstance(container, dict) \
                else "%s[%d]" % (where, key)
            converted, children = convert(v, path)
            if isinstance(container, dict):
                container[key] = converted
            else:
                container.append(converted)
            if children is not None:
                stack.append((converted, children, path, depth + 1))
    return root


def _absolute_paths(config: Mapping[str, Any], label: str) -> Dict[str, Any]:
    """A config dict's file references (include, a string or a list; the tech table) made
    absolute against the working directory (the dict is written to a scratch file before it is
    read)."""
    out = _plain_json(config, label)
    if isinstance(out.get("include"), str):
        out["include"] = os.path.abspath(out["include"])
    elif isinstance(out.get("include"), list):
        out["include"] = [os.path.abspath(i) if isinstance(i, str) else i for i in out["include"]]
    energy = out.get("energy")
    if isinstance(energy, dict) and isinstance(energy.get("tech_table"), str):
        energy["tech_table"] = os.path.abspath(energy["tech_table"])
    return out


@contextlib.contextmanager
def config_file(config: Optional[Config], default: Optional[str] = None
                ) -> Iterator[Tuple[str, str]]:
    """(path, label) of a config: a path as it is, a dict in a scratch file that lives as long as
    the context, None the built-in config `default` (relative to strata's configs directory)."""
    if config is None:
        if default is None:
            raise TypeError("a config is required (a file path or a dict)")
        yield os.path.join(_strata.builtin_config_dir(), default), "configs/" + default
    elif isinstance(config, Mapping):
        label = "<dict %s>" % config.get("name", "config")
        plain = _absolute_paths(config, label)
        with tempfile.TemporaryDirectory(prefix="strata_config_") as d:
            path = os.path.join(d, "config.json")
            with open(path, "w") as f:
                json.dump(plain, f, allow_nan=False)
            try:
                yield path, label
            except InputError as e:  # name the dict, not the scratch file
                raise InputError(str(e).replace(path, label)) from None
    else:
        path = os.fspath(config)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if "\0" in path:
            raise InputError("%r: a config path holds a NUL byte" % path)
        yield path, path
