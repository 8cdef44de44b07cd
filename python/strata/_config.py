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


def _absolute_paths(config: Mapping[str, Any]) -> Dict[str, Any]:
    """A config dict's file references made absolute against the working directory (the dict is
    written to a scratch file before it is read)."""
    out = json.loads(json.dumps(config))
    if isinstance(out.get("include"), str):
        out["include"] = os.path.abspath(out["include"])
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
        with tempfile.TemporaryDirectory(prefix="strata_config_") as d:
            path = os.path.join(d, "config.json")
            with open(path, "w") as f:
                json.dump(_absolute_paths(config), f)
            label = "<dict %s>" % config.get("name", "config")
            try:
                yield path, label
            except InputError as e:  # name the dict, not the scratch file
                raise InputError(str(e).replace(path, label)) from None
    else:
        path = os.fspath(config)
        yield path, path
