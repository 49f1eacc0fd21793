"""The registry of IVR node types: one module per type, each registering its handler by name.

A handler is `async def run(node, ctx) -> next node id | None` (None ends the call). Adding a node type
is adding a module here (found automatically) and its fragment in the IVR schema.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine import FlowContext

NodeHandler = Callable[[Mapping[str, Any], "FlowContext"], Awaitable[str | None]]

_HANDLERS: dict[str, NodeHandler] = {}


class FlowError(Exception):
    """Bad data or configuration met mid-call (a missing prompt, an empty number, a refused transfer).

    Defined here rather than in the engine so node modules never import the engine at run time.
    """


def describe(exc: BaseException) -> str:
    """The reason an analyst reads in the trace: the exception's type and message."""
    if isinstance(exc, TimeoutError):
        return "TimeoutError: no answer in time"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def register(node_type: str) -> Callable[[NodeHandler], NodeHandler]:
    """Registers the decorated handler for a node type; a type registered twice is a bug."""

    def decorator(handler: NodeHandler) -> NodeHandler:
        if node_type in _HANDLERS:
            raise ValueError(f"node type {node_type!r} is registered twice")
        _HANDLERS[node_type] = handler
        return handler

    return decorator


def handler_for(node_type: Any) -> NodeHandler | None:
    """The handler of a node type, or None for a type nobody registered."""
    return _HANDLERS.get(node_type)


def registered_types() -> frozenset[str]:
    """Every node type the engine can run (the tests compare it with the schema's enum)."""
    return frozenset(_HANDLERS)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
