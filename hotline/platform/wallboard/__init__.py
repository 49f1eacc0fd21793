"""Supervisor wallboard figures: today's traffic from the call records, live queues and agents from the ACD,
coloured by the supervisor's thresholds. The web pages (designer/wallboard) only render what this returns."""

from .figures import AGENT_STATES, tenant_figures
from .live import AcdReader, LiveSnapshot

__all__ = ["AGENT_STATES", "AcdReader", "LiveSnapshot", "tenant_figures"]
