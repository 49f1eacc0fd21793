"""A supervisor listens in, whispers to the agent, or barges into an agent's call (FreeSWITCH eavesdrop).

The switch rings the supervisor's own extension and, on answer, runs `eavesdrop <caller's channel uuid>`
(listen; with `eavesdrop_whisper_bleg=true` for whisper: the other half of the caller's channel is the agent)
or `three_way <uuid>` (barge: both sides hear the supervisor). `eavesdrop_enable_dtmf=true` keeps the keys of
mod_dptools' eavesdrop working on the supervisor's phone: 0 listen, 1 talk to the agent, 2 talk to the
caller, 3 three way. The agent's call is read from the ACD presence in Redis, and only when it is a call of
the supervisor's tenant; every use is audited by the web layer.
"""

from __future__ import annotations

import re
from typing import Any

from ..acd.keys import AcdKeys

MODES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "listen": ("eavesdrop", ()),
    "whisper": ("eavesdrop", (("eavesdrop_whisper_bleg", "true"),)),
    "barge": ("three_way", ()),
}
_UUID = re.compile(r"[0-9A-Za-z-]{8,64}")
_EXTENSION = re.compile(r"[A-Za-z0-9_.+-]{1,64}")


def on_call(redis: Any, prefix: str, tenant_id: int, agent: str) -> dict[str, str] | None:
    """The agent's presence fields (call, queue…) while on a call of this tenant, else None."""
    keys = AcdKeys(prefix)
    tenant = str(tenant_id)
    if not redis.sismember(keys.tenant_agents(tenant), agent):
        return None
    fields = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
              for k, v in (redis.hgetall(keys.agent(agent)) or {}).items()}
    if fields.get("state") != "on_call" or fields.get("call_tenant") != tenant:
        return None
    call = fields.get("call") or ""
    return fields if _UUID.fullmatch(call) else None


def current_call(redis: Any, prefix: str, tenant_id: int, agent: str) -> str | None:
    """The uuid of the call the agent is on for this tenant, or None (not on a call, or another tenant's)."""
    fields = on_call(redis, prefix, tenant_id, agent)
    return fields["call"] if fields else None


def originate(dial_string: str, extension: str, call_uuid: str, mode: str, caller_name: str) -> str:
    """The `originate` arguments that ring the supervisor and join the call in `mode`."""
    if mode not in MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    if not _EXTENSION.fullmatch(extension):
        raise ValueError(f"not an extension: {extension!r}")
    if not _UUID.fullmatch(call_uuid):
        raise ValueError(f"not a call uuid: {call_uuid!r}")
    app, extra = MODES[mode]
    name = re.sub(r"[^0-9A-Za-z_\-]", "", caller_name)[:32] or "supervisor"
    variables = [("eavesdrop_enable_dtmf", "true"), *extra, ("origination_caller_id_name", name)]
    spec = ",".join(f"{k}={v}" for k, v in variables)
    return f"{{{spec}}}{dial_string.format(extension=extension)} &{app}({call_uuid})"
