"""The designer's test-call handler overrides the runtime's flow step: the two must take the same arguments,
or every designer test call ends at once with a TypeError (QA of issue 11, item 1: `running` was added to
CallHandler._run_flow and not to TestCallHandler._run_flow)."""

from __future__ import annotations

import inspect

from hotline.runtime.call.handler import CallHandler
from hotline.runtime.trial.flow import TestCallHandler


def test_the_test_call_handler_runs_the_flow_with_the_runtimes_arguments() -> None:
    runtime = list(inspect.signature(CallHandler._run_flow).parameters)
    trial = list(inspect.signature(TestCallHandler._run_flow).parameters)
    assert trial == runtime
