"""The one cache under the metrics and views: a result kept per store build and arguments, up to a bound.

The key is the store (its path), the build's `built_at` and the arguments; a content object (a Cluster) is
keyed by its definition and handed to the function as it is, never rebuilt from text. A DataFrame result is
handed out as a copy, so callers may change it.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel

from lisdash.store import Store

Result = TypeVar("Result")


_MODEL_KEYS: dict[int, tuple[BaseModel, Hashable]] = {}  # a content object's key, made once (it is never changed)
_MODEL_KEYS_HELD = 4096


def _model_key(value: BaseModel) -> Hashable:
    found = _MODEL_KEYS.get(id(value))
    if found is not None and found[0] is value:
        return found[1]
    key = type(value).__name__, value.model_dump_json()
    if len(_MODEL_KEYS) >= _MODEL_KEYS_HELD:
        _MODEL_KEYS.clear()
    _MODEL_KEYS[id(value)] = (value, key)
    return key


def _key(value: Any) -> Hashable:
    if isinstance(value, BaseModel):
        return _model_key(value)
    if isinstance(value, list | tuple):
        return tuple(_key(v) for v in value)
    return value


def per_build(maxsize: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Keep up to `maxsize` results of a function whose first argument is the store, keyed by its build."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        kept: OrderedDict[Hashable, Result] = OrderedDict()
        lock = threading.Lock()
        signature = inspect.signature(function)
        positional = len(signature.parameters) - 1

        @functools.wraps(function)
        def cached(store: Store, *args: Any, **kwargs: Any) -> Result:
            arguments: tuple | list = args
            if kwargs or len(args) != positional:  # one key for a choice however it is passed
                bound = signature.bind(store, *args, **kwargs)
                bound.apply_defaults()
                arguments = list(bound.arguments.values())[1:]
            key = (store, store.manifest["built_at"], *(_key(a) for a in arguments))
            with lock:
                found = kept.get(key)
                if found is not None:
                    kept.move_to_end(key)
            if found is None:
                found = function(store, *arguments)
                with lock:
                    kept[key] = found
                    while len(kept) > maxsize:
                        kept.popitem(last=False)
            return found.copy() if isinstance(found, pd.DataFrame) else found

        return cached

    return decorate
