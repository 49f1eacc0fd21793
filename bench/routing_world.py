"""The routing benchmark's world: agents, tenants, rules, calls and ticket events, built from a seed.

Apart from the timed runs (bench/routing.py) so that a worker process of a `--processes` burst rebuilds the same
world from the seed alone, and so that the world's shape can be read without the measuring code around it.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hotline.platform.conditions import evaluate

TENANTS = 20
AGENTS = 1000
RULES = 50
SKILLS = ("general", "billing", "claims", "english", "vip")
QUEUES = {"q_li": "longest_idle", "q_sl": "skills_levels", "q_fc": "fewest_calls", "q_rr": "round_robin"}
SHARED_CAP = 15


# ------------------------------------------------------------------------------------------- the world

@dataclass
class Agent:
    id: str
    skills: dict[str, dict[str, int]]  # tenant -> skill -> level
    available: bool = True
    idle_since: float = 0.0
    calls_today: int = 0
    open_tickets: int = 0


@dataclass
class World:
    agents: list[Agent]
    rules: dict[str, list[dict[str, Any]]]  # tenant -> rules in order
    calls: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    holders: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def tenant_name(i: int) -> str:
    return f"t{i:02d}"


def build_world(seed: int, n_calls: int, n_tickets: int) -> World:
    rng = random.Random(seed)
    tenants = [tenant_name(i) for i in range(TENANTS)]
    agents = []
    for i in range(AGENTS):
        own = tenants[i % TENANTS]
        served = [own] + (rng.sample([t for t in tenants if t != own], rng.randint(1, 2)) if rng.random() < 0.2 else [])
        skills = {}
        for t in served:
            extra = rng.sample(SKILLS[1:], rng.randint(1, 2))
            skills[t] = {"general": rng.randint(1, 5), **{s: rng.randint(1, 5) for s in extra}}
        agents.append(Agent(f"a{i:04d}", skills, idle_since=float(i)))
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for agent in agents:
        for t, levels in agent.skills.items():
            for s in levels:
                holders[(t, s)].append(agent.id)
    rules = _rules(rng, tenants, holders)
    calls = []
    for i in range(n_calls):
        t = rng.choice(tenants)
        skill = rng.choice([s for s in SKILLS if len(holders[(t, s)]) >= 5])
        calls.append({"id": f"c{i:05d}-{uuid.uuid4().hex[:6]}", "tenant": t,
                      "call": {"caller": f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
                               "did": f"400{i % TENANTS:07d}", "queue": rng.choice(["q_li", "q_rr"]),
                               "priority": rng.randint(0, 9), "skills": ["general", skill] if skill != "general"
                               else ["general"]},
                      "customer": {"vip": rng.random() < 0.1, "monthly_settlement": rng.random() < 0.05},
                      "var": {"menu": str(rng.randint(1, 5)), "waybill": str(rng.randint(10**11, 10**12))}})
    tickets = []
    for i in range(n_tickets):
        t = rng.choice(tenants)
        tickets.append({"tenant": t, "event": rng.choice(["ticket.created", "ticket.updated"]),
                        "ticket": {"number": f"T{i:06d}", "form": rng.choice(["complaint", "repair", "consult"]),
                                   "priority": rng.choice(["low", "normal", "high"]),
                                   "address": rng.choice(["", "北京朝阳区", "上海浦东新区"])},
                        "customer": {"vip": rng.random() < 0.1}})
    return World(agents, rules, calls, tickets, dict(holders))


def _rules(rng: random.Random, tenants: list[str], holders: Mapping[tuple[str, str], list[str]]) -> dict:
    """50 rules: two or three per tenant, call and ticket events, conditions of every shape."""
    rules: dict[str, list[dict[str, Any]]] = {t: [] for t in tenants}
    for n in range(RULES):
        t = tenants[n % TENANTS]
        good = [s for s in SKILLS if len(holders[(t, s)]) >= 5]
        skill = rng.choice(good)
        kind = n // TENANTS  # 0, 1, 2
        if kind == 0:
            rules[t].append({"name": f"vip_{t}", "event": "call.entered_queue",
                             "when": {"any": [{"field": "customer.vip", "op": "eq", "value": True},
                                              {"field": "customer.monthly_settlement", "op": "eq", "value": True}]},
                             "actions": [{"type": "route_to_queue", "queue": "q_sl", "priority": 9,
                                          "skills": sorted({"general", skill})}], "stop": True})
        elif kind == 1:
            rules[t].append({"name": f"menu_{t}", "event": "call.entered_queue",
                             "when": {"all": [{"field": "var.menu", "op": "in", "value": ["2", "3"]},
                                              {"not": {"field": "call.caller", "op": "starts_with",
                                                       "value": "130"}}]},
                             "actions": [{"type": "route_to_queue", "queue": "q_fc", "priority": 6,
                                          "skills": ["general"]}]})
        else:
            rules[t].append({"name": f"complaint_{t}", "event": "ticket.created",
                             "when": {"all": [{"field": "ticket.form", "op": "eq", "value": "complaint"},
                                              {"field": "ticket.address", "op": "not_empty"}]},
                             "actions": [{"type": "assign", "group": skill}], "stop": True})
    for t in tenants:  # a catch-all per tenant for ticket events: the general group
        rules[t].append({"name": f"default_{t}", "event": "ticket.updated",
                         "when": {"field": "ticket.priority", "op": "ne", "value": "low"},
                         "actions": [{"type": "assign", "group": "general"}]})
    return rules


# ------------------------------------------------------------------------------------------- rules

def route(rules: list[dict[str, Any]], event: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """The dispatch engine's order and stop semantics: later route/assign actions refine earlier ones."""
    decision: dict[str, Any] = {"rules": []}
    for rule in rules:
        if rule["event"] != event or not evaluate(rule["when"], context):
            continue
        decision["rules"].append(rule["name"])
        for action in rule["actions"]:
            if action["type"] == "route_to_queue":
                decision.update(queue=action["queue"], priority=action["priority"], skills=action["skills"])
            elif action["type"] == "assign":
                decision["group"] = action["group"]
        if rule.get("stop"):
            break
    return decision


def call_context(call: Mapping[str, Any]) -> dict[str, Any]:
    return {"call": call["call"], "customer": call["customer"], "var": call["var"]}
