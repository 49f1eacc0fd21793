"""The flow engine: runs published IVR documents over a small channel interface.

The same engine serves FreeSWITCH (through the ESL adapter), the simulator-driven test call of the
designer and the tests; only the Channel and FlowServices implementations differ.
"""

from .calendar import is_open
from .channel import BridgeResult, CallerHungUp, Channel, Recording, RenderedPrompt
from .engine import DEFAULT_APOLOGY, OUTCOMES, CallInfo, CallResult, FlowContext, FlowEngine
from .nodes import FlowError, register, registered_types
from .services import (
    FlowServices,
    InMemoryServices,
    QueueResult,
    http_webhook,
    webhook_hanging,
    webhook_raising,
    webhook_records,
)
from .trace import CallTrace

__all__ = [
    "DEFAULT_APOLOGY",
    "OUTCOMES",
    "BridgeResult",
    "CallInfo",
    "CallResult",
    "CallTrace",
    "CallerHungUp",
    "Channel",
    "FlowContext",
    "FlowEngine",
    "FlowError",
    "FlowServices",
    "InMemoryServices",
    "QueueResult",
    "Recording",
    "RenderedPrompt",
    "http_webhook",
    "is_open",
    "register",
    "registered_types",
    "webhook_hanging",
    "webhook_raising",
    "webhook_records",
]
