"""Routing decisions at scale: dispatch rules + the Redis ACD's atomic claim, against a naive baseline.

World: 1,000 agents with mixed skills and levels across 20 tenants (a fifth of them shared by two or
three tenants, each tenant capped on shared agents), 4 queues per tenant with different strategies
(longest idle, skills with levels, fewest calls today, round robin), 50 dispatch rules (call.entered_queue
rules that re-route by customer, caller and IVR input; ticket rules that assign by form and field).

Measured in one run:
* calls — per call the tenant's rules pick queue / priority / skills, the call is enqueued and the ACD's
  claim picks the agent in the same script (real Redis); the agent then answers and hangs up at once
  (both scripts in one pipelined round trip, not timed) so the pool cycles. Decision latency = rules +
  enqueue-and-claim (+ retries when another call of the same queue was ahead). First
  `--latency-sample` calls one at a time (the decision's own service time, nothing ahead of it), then the
  burst of 10,000 with `--concurrency` calls in flight (throughput; its latency is the same span measured
  under load, so it includes the time Redis spends on the scripts batched ahead of it — by Little's law
  about in-flight / rate). The ACD auto-pipelines the scripts of one event-loop turn (acd/scripts.py), so
  the agent's answer and release share the decisions' round trips;
* tickets — 10,000 ticket events: rules, then the least-loaded agent of the group (a heap per tenant and
  skill);
* the naive baseline on the same calls and events: the same rules, then a scan of every agent in Python
  per decision (no index, no Redis, one process only — so it cannot even be shared by two runtimes);
* `route_call` — the platform's own dispatch entry point (`hotline.platform.dispatch.call_events`) on a
  sample of calls, against a database holding the same 50 rules as published `dispatch` documents (it
  reads the rules and writes an audit row per firing, so the database dominates), then the same calls
  the way the runtime decides them: the tenant's rules from memory (rule_cache.py, dropped on publish),
  the conditions evaluated in process, and `route_call` in a session only when a rule may fire.

The rules of the first two measures are evaluated in process with the dispatch engine's own condition
evaluator (`hotline.platform.conditions.evaluate`), compiled once per tenant — what a runtime does with
rules it caches between publishes.

    python bench/routing.py [--calls 10000] [--tickets 10000] [--concurrency 64] [--processes 1]
                            [--latency-sample 2000] [--route-call-sample 1000]
Goal (issue 6): >= 5,000 decisions/s, p99 <= 5 ms, and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402

from bench.routing_world import (  # noqa: E402
    AGENTS,
    QUEUES,
    RULES,
    SHARED_CAP,
    SKILLS,
    TENANTS,
    Agent,
    World,
    build_world,
    call_context,
    route,
)
from hotline.runtime.acd import Acd, AcdKeys, QueuePolicy, WaitingCall  # noqa: E402

REDIS_URL = os.environ.get("HOTLINE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


# ------------------------------------------------------------------------------------------- measures

@dataclass
class Figures:
    name: str
    latencies: list[float]
    seconds: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def line(self) -> str:
        return (f"{self.name:<44} {len(self.latencies):>7,} decisions  {self.rate:>10,.0f}/s  "
                f"p50 {self.pct(50):7.3f} ms  p99 {self.pct(99):7.3f} ms")


async def acd_calls(world: World, acd: Acd, concurrency: int, *, limit: int | None = None,
                    name: str = "calls: rules + Redis ACD claim", part: tuple[int, int] = (0, 1),
                    ) -> tuple[Figures, dict[str, int]]:
    calls = iter(world.calls[:limit][part[0]::part[1]])
    latencies: list[float] = []
    counts: dict[str, int] = defaultdict(int)

    async def worker() -> None:
        for call in calls:
            started = time.perf_counter()
            t = call["tenant"]
            base = call["call"]
            decision = route(world.rules[t], "call.entered_queue", call_context(call))
            queue = decision.get("queue", base["queue"])
            waiting = WaitingCall(t, queue, call["id"], decision.get("priority", base["priority"]),
                                  tuple(decision.get("skills", base["skills"])),
                                  policy=QueuePolicy(strategy=QUEUES[queue], ageing_seconds=60, shared_cap=SHARED_CAP))
            placed = await acd.queues.enqueue(waiting, claim=True)  # as wait_for_agent does
            agent = placed.agent_id
            while agent is None:
                result = await acd.queues.try_claim(waiting)
                agent = result.agent_id
                if agent is None:
                    counts[result.status] += 1
                    await asyncio.sleep(0)
            latencies.append(time.perf_counter() - started)
            counts[QUEUES[queue]] += 1
            # the agent's side, not timed: answers and hangs up at once (one round trip)
            await acd.scripts.run_many(acd.redis, [("agent_answered", (waiting.call_id, agent)),
                                                   ("call_ended", (agent, "0.0"))])

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Figures(name, latencies, time.perf_counter() - began), dict(counts)


def indexed_tickets(world: World) -> Figures:
    heaps: dict[tuple[str, str], list[tuple[int, str]]] = {k: [(0, a) for a in v] for k, v in world.holders.items()}
    for heap in heaps.values():
        heapq.heapify(heap)
    latencies = []
    began = time.perf_counter()
    for event in world.tickets:
        started = time.perf_counter()
        decision = route(world.rules[event["tenant"]], event["event"], event)
        group = decision.get("group")
        if group is not None:
            heap = heaps[(event["tenant"], group)]
            load, agent = heapq.heappop(heap)
            heapq.heappush(heap, (load + 1, agent))
        latencies.append(time.perf_counter() - started)
    return Figures("tickets: rules + least-loaded agent (heap)", latencies, time.perf_counter() - began)


def naive_calls(world: World) -> Figures:
    agents = [Agent(a.id, a.skills, idle_since=a.idle_since) for a in world.agents]
    last_rr: dict[tuple[str, str], str] = {}
    clock = float(len(agents))
    latencies = []
    began = time.perf_counter()
    for call in world.calls:
        started = time.perf_counter()
        t = call["tenant"]
        decision = route(world.rules[t], "call.entered_queue", call_context(call))
        queue = decision.get("queue", call["call"]["queue"])
        skills = decision.get("skills", call["call"]["skills"])
        strategy = QUEUES[queue]
        best, best_key = None, None
        for agent in agents:  # the scan: every agent, every decision
            levels = agent.skills.get(t)
            if levels is None or not agent.available or any(s not in levels for s in skills):
                continue
            if strategy == "skills_levels":
                key: Any = (-sum(levels[s] for s in skills), agent.idle_since)
            elif strategy == "fewest_calls":
                key = (agent.calls_today, agent.idle_since)
            elif strategy == "round_robin":
                key = (agent.id <= last_rr.get((t, queue), ""), agent.id)
            else:
                key = agent.idle_since
            if best_key is None or key < best_key:
                best, best_key = agent, key
        assert best is not None
        if strategy == "round_robin":
            last_rr[(t, queue)] = best.id
        latencies.append(time.perf_counter() - started)
        clock += 1  # answered and released at once, as in the ACD run
        best.calls_today += 1
        best.idle_since = clock
    return Figures("baseline calls: rules + scan every agent", latencies, time.perf_counter() - began)


def naive_tickets(world: World) -> Figures:
    agents = [Agent(a.id, a.skills) for a in world.agents]
    latencies = []
    began = time.perf_counter()
    for event in world.tickets:
        started = time.perf_counter()
        t = event["tenant"]
        decision = route(world.rules[t], event["event"], event)
        group = decision.get("group")
        if group is not None:
            best = min((a for a in agents if group in a.skills.get(t, {})), key=lambda a: a.open_tickets)
            best.open_tickets += 1
        latencies.append(time.perf_counter() - started)
    return Figures("baseline tickets: rules + scan every agent", latencies, time.perf_counter() - began)


# ------------------------------------------------------------------------------------------- route_call

def route_call_sample(world: World, sample: int) -> tuple[Figures, Figures] | str:
    """The platform's `route_call` on a SQLite database holding the 50 rules as published documents."""
    try:
        from hotline.platform import schema_migrations
        from hotline.platform.db import Database
        from hotline.platform.dispatch.call_events import route_call
        from hotline.platform.models import Queue, Skill
        from hotline.platform.services.documents import DocumentService
        from hotline.platform.services.tenants import create_tenant
    except ImportError as exc:
        return f"route_call not measured: {exc}"
    folder = tempfile.mkdtemp(prefix="hotline-bench-")
    db = Database(f"sqlite:///{folder}/routing.sqlite3")
    schema_migrations.upgrade(db)
    ids: dict[str, int] = {}
    try:
        for t, rules in world.rules.items():
            with db.platform() as session:
                ids[t] = create_tenant(session, f"bench-{t}", t, "bench").id
            with db.tenant(ids[t]) as session:
                session.add_all([Queue(name=q, label=q, strategy=s) for q, s in QUEUES.items()])
                session.add_all([Skill(name=s, label=s) for s in SKILLS])
                session.flush()
                body = {"rules": [r for r in rules if r["event"] == "call.entered_queue"]}
                service = DocumentService(session, "bench")
                service.create("dispatch", "routing", body)
                service.publish("dispatch", "routing")
    except Exception as exc:  # a schema or lint refusal: say so rather than measure something else
        return f"route_call not measured: publishing the rules failed: {type(exc).__name__}: {exc}"
    latencies = []
    began = time.perf_counter()
    for call in world.calls[:sample]:
        started = time.perf_counter()
        with db.tenant(ids[call["tenant"]]) as session:
            route_call(session, ids[call["tenant"]], {**call["call"], "uuid": call["id"],
                                                      "customer": call["customer"], "var": call["var"]})
        latencies.append(time.perf_counter() - started)
    figures = Figures("route_call (SQLite, rules read + audit write)", latencies, time.perf_counter() - began)
    cached = _cached_route_calls(world, db, ids, sample)
    db.dispose()
    return figures, cached


def _cached_route_calls(world: World, db: Any, ids: dict[str, int], sample: int) -> Figures:
    """What the runtime does (dispatch_hook.route with its listener running): the tenant's rules from memory,
    the conditions evaluated in process, `route_call` in a tenant session only when a rule may fire."""
    from hotline.platform.dispatch.call_events import could_route, route_call
    from hotline.platform.dispatch.rule_cache import RuleCache

    cache = RuleCache()
    fired = 0
    latencies = []
    began = time.perf_counter()
    for call in world.calls[:sample]:
        started = time.perf_counter()
        tenant_id = ids[call["tenant"]]
        info = {**call["call"], "uuid": call["id"] + "-cached", "customer": call["customer"], "var": call["var"]}
        rules = cache.get(db, tenant_id)
        if rules is None:
            rules = cache.load(db, tenant_id)
        if could_route(rules, info):
            fired += 1
            with db.tenant(tenant_id) as session:
                route_call(session, tenant_id, info)
        latencies.append(time.perf_counter() - started)
    return Figures(f"route_call via the rule cache ({fired} of {sample} fired)", latencies,
                   time.perf_counter() - began)


# ------------------------------------------------------------------------------------------- processes

def _burst_process(prefix: str, seed: int, n_calls: int, concurrency: int, index: int, processes: int,
                   ) -> tuple[list[float], float, float, float, dict[str, int]]:
    """One runtime-like OS process of a `--processes` burst: its share of the calls, its own connections."""
    world = build_world(seed, n_calls, 0)

    async def main() -> tuple[list[float], float, float, float, dict[str, int]]:
        client = Redis.from_url(REDIS_URL, max_connections=concurrency + 8)
        try:
            acd = Acd(client, prefix=prefix)
            cpu, began = time.process_time(), time.time()
            figures, counts = await acd_calls(world, acd, concurrency, part=(index, processes))
            counts["pipelines"] = acd.scripts.batches
            counts["scripts_pipelined"] = acd.scripts.batched
            return figures.latencies, began, time.time(), time.process_time() - cpu, counts
        finally:
            await client.aclose()

    return asyncio.run(main())


def burst_in_processes(args: argparse.Namespace, prefix: str) -> tuple[Figures, float, dict[str, int]]:
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        jobs = [pool.apply_async(_burst_process, (prefix, args.seed, args.calls, args.concurrency, i,
                                                  args.processes)) for i in range(args.processes)]
        results = [job.get(timeout=900) for job in jobs]
    latencies = [x for r in results for x in r[0]]
    seconds = max(r[2] for r in results) - min(r[1] for r in results)
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        for k, v in r[4].items():
            counts[k] += v
    return (Figures(f"calls: rules + Redis ACD claim, {args.processes} processes", latencies, seconds),
            sum(r[3] for r in results), dict(counts))


# ------------------------------------------------------------------------------------------- main

async def _redis_cpu(client: Redis) -> float:
    info = await client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


async def run(args: argparse.Namespace) -> None:
    world = build_world(args.seed, args.calls, args.tickets)
    shared = sum(len(a.skills) > 1 for a in world.agents)
    n_rules = sum(len(r) for r in world.rules.values())
    print(f"world: {AGENTS:,} agents ({shared} shared) across {TENANTS} tenants, {n_rules} rules "
          f"({RULES} + {TENANTS} catch-alls), {len(world.calls):,} calls, {len(world.tickets):,} ticket events")
    prefix = f"bench:routing:{uuid.uuid4().hex[:8]}"
    client = Redis.from_url(REDIS_URL, max_connections=max(args.concurrency, 100) + 8)
    try:
        acd = Acd(client, prefix=prefix)
        for start in range(0, len(world.agents), 100):
            await asyncio.gather(*(acd.presence.login(a.id, a.skills) for a in world.agents[start:start + 100]))
        # the decision's own time: one call at a time, nothing queued ahead of it
        alone, _ = await acd_calls(world, acd, 1, limit=args.latency_sample,
                                   name="calls one at a time (decision service time)")
        redis_cpu = await _redis_cpu(client)
        own_cpu = time.process_time()
        if args.processes > 1:
            calls, own_cpu, counts = await asyncio.to_thread(burst_in_processes, args, prefix)
        else:
            calls, counts = await acd_calls(world, acd, args.concurrency,
                                            name=f"burst, {args.concurrency} in flight (latency under load)")
            own_cpu = time.process_time() - own_cpu
        redis_cpu = await _redis_cpu(client) - redis_cpu
    finally:
        keys = [k async for k in client.scan_iter(match=AcdKeys(prefix).pattern, count=1000)]
        for start in range(0, len(keys), 500):
            await client.delete(*keys[start:start + 500])
        await client.aclose()
    tickets = indexed_tickets(world)
    base_calls = naive_calls(world)
    base_tickets = naive_tickets(world)
    both = Figures("all decisions (calls + tickets)", calls.latencies + tickets.latencies,
                   calls.seconds + tickets.seconds)
    base_both = Figures("baseline, all decisions", base_calls.latencies + base_tickets.latencies,
                        base_calls.seconds + base_tickets.seconds)
    for figures in (alone, calls, tickets, both, base_calls, base_tickets, base_both):
        print(figures.line())
    if args.processes <= 1:
        counts = {**counts, "pipelines": acd.scripts.batches, "scripts_pipelined": acd.scripts.batched}
    print(f"claims by strategy / retries / auto-pipelining: {dict(sorted(counts.items()))}")
    n = len(calls.latencies)
    print(f"CPU per call decision (incl. answering and releasing the agent): runtime process(es) "
          f"{own_cpu / n * 1e6:,.0f} us, Redis server {redis_cpu / n * 1e6:,.0f} us (all of Redis's clients) -> "
          f"on otherwise idle cores ~{n / max(own_cpu, redis_cpu):,.0f} calls/s per runtime process "
          f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"ratio calls    : {calls.rate / base_calls.rate:6.2f}x the baseline's rate, p99 "
          f"{calls.pct(99):.3f} vs {base_calls.pct(99):.3f} ms")
    print(f"ratio tickets  : {tickets.rate / base_tickets.rate:6.2f}x the baseline's rate")
    print(f"ratio overall  : {both.rate / base_both.rate:6.2f}x")
    if args.route_call_sample:
        sample = route_call_sample(world, args.route_call_sample)
        print(sample if isinstance(sample, str) else "\n".join(f.line() for f in sample))
    print(f"goal: >= 5,000 decisions/s and p99 <= 5 ms -> calls {calls.rate:,.0f}/s p99 {calls.pct(99):.2f} ms; "
          f"overall {both.rate:,.0f}/s p99 {both.pct(99):.2f} ms ({os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}, mean call decision {statistics.fmean(calls.latencies) * 1000:.3f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=64, help="calls in flight during the burst")
    parser.add_argument("--latency-sample", type=int, default=2000, help="calls decided one at a time first")
    parser.add_argument("--processes", type=int, default=1,
                        help="runtime processes sharing Redis for the burst (each with --concurrency in flight)")
    parser.add_argument("--route-call-sample", type=int, default=1000, help="0 to skip")
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
