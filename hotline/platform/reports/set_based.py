"""The range rebuild on PostgreSQL as set-based SQL: `INSERT … SELECT … GROUP BY` over the raw records.

Why: the Python rebuild (intervals.rebuild_calls) classifies each call record in the process at about
1,000-1,200 records a second here, so a year of a busy platform (tens of millions of calls) took hours; the
same aggregation in the database reads the records where they are. Every expression below mirrors one rule of
classify.py (the single definition of the figures); tests/platform/reports/test_set_based.py checks on
seeded records, including the odd ones, that both rebuilds write the same rows. Where a trace holds values of
the wrong JSON type (a score that is not a number, digits that are not strings), this path ignores them as
classify.py does for the cases that occur; records written by the runtime never hold such values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..acd import defaults as acd_defaults
from ..models.reports import HANDLE_BUCKETS, HANDLE_COLUMNS
from ..services import response
from . import classify as cl

_FLOOR = "to_timestamp(floor(extract(epoch FROM {0}) / 900) * 900)"


def _bucket_case(column: str) -> str:
    branches = " ".join(f"WHEN {column} <= {edge} THEN {i}" for i, edge in enumerate(HANDLE_BUCKETS))
    return f"CASE {branches} ELSE {len(HANDLE_BUCKETS)} END"


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _self_served(steps: str) -> str:
    """classify.self_served over a JSON array of steps: a found lookup or an end node, and no queue/transfer step."""
    return (f"(({steps} @> '[{{\"type\": \"hangup\"}}]' OR {steps} @> '[{{\"type\": \"lookup\", "
            f"\"info\": {{\"found\": true}}}}]') AND NOT {steps} @> '[{{\"type\": \"queue\"}}]' "
            f"AND NOT {steps} @> '[{{\"type\": \"transfer\"}}]')")


_STEPS_OF = "CASE WHEN jsonb_typeof(r.trace -> 'steps') = 'array' THEN r.trace -> 'steps' ELSE '[]'::jsonb END"

#: classify.answer_wait: queue entry (start + the last queue step's at_ms) → answered_at, never below the recorded
#: wait; the recorded wait when the trace names no queue step or the call has no answered_at.
_MEASURED_WAIT = f"""round((extract(epoch FROM r.answered_at - r.started_at)
  - (SELECT (x.e ->> 'at_ms')::float8 FROM jsonb_array_elements({_STEPS_OF}) WITH ORDINALITY AS x(e, i)
     WHERE jsonb_typeof(x.e) = 'object' AND x.e ->> 'type' = 'queue' AND jsonb_typeof(x.e -> 'at_ms') = 'number'
     ORDER BY x.i DESC LIMIT 1) / 1000.0)::numeric, 3)::float8"""
# GREATEST skips NULLs: the measured wait is NULL (not 0) when unknown, so a call without either stays without one
_ANSWER_WAIT = (f"GREATEST(r.wait_seconds::float8, CASE WHEN {_MEASURED_WAIT} IS NOT NULL "
                f"THEN GREATEST(0, {_MEASURED_WAIT}) END)")

#: One row per counted call with its flags; the outer SELECTs sum them per row key.
_CALLS = f"""
WITH c AS (
  SELECT r.id, {_FLOOR.format('r.started_at')} AS interval_start,
         COALESCE(r.queue, '') AS queue, LEFT(COALESCE(r.did, ''), 32) AS did, COALESCE(r.agent_id, 0) AS agent_id,
         COALESCE(r.queue, '') <> '' AS queued, COALESCE(r.outcome, '') AS outcome, r.wait_seconds AS wait,
         {_ANSWER_WAIT} AS answer_wait,
         CASE WHEN jsonb_typeof(r.trace -> 'events') = 'array' THEN r.trace -> 'events' ELSE '[]'::jsonb END
           AS events,
         COALESCE(NULLIF(q.service_level_seconds, 0), {cl.DEFAULT_TARGET_SECONDS}) AS target,
         COALESCE(q.wrap_up_seconds, {float(acd_defaults.WRAP_UP_SECONDS)}) AS wrap,
         COALESCE(r.talk_seconds, CASE WHEN r.answered_at IS NOT NULL AND r.ended_at IS NOT NULL
                                       THEN extract(epoch FROM r.ended_at - r.answered_at) END) AS talk,
         r.answered_at, {_self_served(_STEPS_OF)} AS self_served
  FROM call_record r
  LEFT JOIN queue q ON q.tenant_id = r.tenant_id AND q.name = r.queue
  WHERE r.tenant_id = :t AND r.started_at >= :lo AND r.started_at < :hi AND NOT r.test_call
    AND r.direction = 'inbound'
), f AS (
  SELECT c.*,
         c.queued AND (c.answered_at IS NOT NULL OR c.events @> '[{{"type": "queue", "status": "answered"}}]')
           AS answered,
         c.events @> '[{{"type": "queue", "status": "abandoned"}}]' AS queue_abandon_event,
         c.events @> '[{{"type": "queue", "status": "timeout"}}]' AS queue_timeout_event,
         GREATEST(c.talk, 0) + c.wrap AS handle,
         s.n AS survey_count, s.total AS survey_sum, s.satisfied AS survey_satisfied,
         CASE WHEN c.agent_id = 0 THEN COALESCE((
           SELECT LEFT(x.e ->> 'agent', 32) FROM jsonb_array_elements(c.events) WITH ORDINALITY AS x(e, i)
           WHERE jsonb_typeof(x.e) = 'object' AND x.e ->> 'type' = 'queue' AND x.e ->> 'status' = 'answered'
             AND jsonb_typeof(x.e -> 'agent') = 'string' AND x.e ->> 'agent' <> ''
           ORDER BY x.i LIMIT 1), '') ELSE '' END AS extension
  FROM c CROSS JOIN LATERAL (
    SELECT count(*) AS n, COALESCE(sum((e ->> 'score')::float8), 0) AS total,
           count(*) FILTER (WHERE (e ->> 'score')::float8 >= 4) AS satisfied
    FROM jsonb_array_elements(c.events) e
    WHERE jsonb_typeof(e) = 'object' AND e ->> 'type' = 'survey' AND jsonb_typeof(e -> 'score') = 'number') s
), g AS (
  SELECT f.*,
         f.queued AND NOT f.answered AND (f.outcome IN ({_in(cl.QUEUE_ABANDON_OUTCOMES)}) OR f.queue_abandon_event)
           AS abandon,
         CASE WHEN f.answered AND f.talk IS NOT NULL THEN {_bucket_case('f.handle')} END AS bucket
  FROM f
)
INSERT INTO report_interval (tenant_id, interval_start, queue, did, agent_id, extension, calls, offered, answered,
  abandoned_ivr, abandoned_queue, abandoned_short, timed_out, answered_in_target, wait_count, wait_sum,
  handle_count, handle_sum, handle_max, transfers, callbacks, self_service, survey_count, survey_sum, survey_satisfied,
  {", ".join(HANDLE_COLUMNS)})
SELECT :t, interval_start, queue, did, agent_id, extension, count(*),
  count(*) FILTER (WHERE queued), count(*) FILTER (WHERE answered),
  count(*) FILTER (WHERE NOT queued AND outcome IN ({_in(cl.IVR_HANGUP_OUTCOMES)}) AND NOT self_served),
  count(*) FILTER (WHERE abandon AND NOT (wait IS NOT NULL AND wait <= :short)),
  count(*) FILTER (WHERE abandon AND wait IS NOT NULL AND wait <= :short),
  count(*) FILTER (WHERE queued AND NOT answered AND NOT abandon AND queue_timeout_event),
  count(*) FILTER (WHERE answered AND answer_wait IS NOT NULL AND answer_wait <= target),
  count(*) FILTER (WHERE answered AND answer_wait IS NOT NULL),
  COALESCE(sum(answer_wait) FILTER (WHERE answered AND answer_wait IS NOT NULL), 0),
  count(*) FILTER (WHERE bucket IS NOT NULL), COALESCE(sum(handle) FILTER (WHERE bucket IS NOT NULL), 0),
  COALESCE(max(handle) FILTER (WHERE bucket IS NOT NULL), 0),
  count(*) FILTER (WHERE outcome = 'transferred'),
  count(*) FILTER (WHERE events @> '[{{"type": "callback"}}]'),
  count(*) FILTER (WHERE NOT queued AND (outcome = 'completed'
                                          OR (outcome IN ({_in(cl.IVR_HANGUP_OUTCOMES)}) AND self_served))),
  sum(survey_count), sum(survey_sum), sum(survey_satisfied),
  {", ".join(f"count(*) FILTER (WHERE bucket = {i})" for i in range(len(HANDLE_COLUMNS)))}
FROM g GROUP BY interval_start, queue, did, agent_id, extension
"""

#: The IVR steps of each counted call that names an IVR version (valid steps only: an object with a node).
_STEPS = f"""
WITH s AS (
  SELECT r.id, {_FLOOR.format('r.started_at')} AS interval_start, LEFT(r.ivr_document, 64) AS doc,
         r.ivr_version AS ver, COALESCE(r.queue, '') <> '' AS queued, COALESCE(r.outcome, '') AS outcome,
         LEFT(st.step ->> 'node', 64) AS node, NULLIF(st.step ->> 'next', '') AS next, st.step -> 'digits' AS digits,
         st.step ->> 'type' AS type,
         row_number() OVER (PARTITION BY r.id ORDER BY st.i DESC) AS from_end,
         {_self_served(_STEPS_OF)} AS self_served
  FROM call_record r
  CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(r.trace -> 'steps') = 'array' THEN r.trace -> 'steps' ELSE '[]'::jsonb END)
    WITH ORDINALITY AS st(step, i)
  WHERE r.tenant_id = :t AND r.started_at >= :lo AND r.started_at < :hi AND NOT r.test_call
    AND r.direction = 'inbound' AND COALESCE(r.ivr_document, '') <> '' AND r.ivr_version IS NOT NULL
    AND jsonb_typeof(st.step) = 'object' AND COALESCE(st.step ->> 'node', '') <> ''
)
"""

_NODES = _STEPS + f"""
, per_call AS (
  SELECT id, interval_start, doc, ver, node,
         bool_or(from_end = 1 AND NOT queued AND outcome IN ({_in(cl.IVR_HANGUP_OUTCOMES)}) AND NOT self_served)
           AS hangup,
         bool_or(from_end = 1 AND NOT queued AND (outcome = 'completed' OR (
           outcome IN ({_in(cl.IVR_HANGUP_OUTCOMES)}) AND self_served))) AS completed
  FROM s GROUP BY id, interval_start, doc, ver, node
)
INSERT INTO report_ivr_node (tenant_id, interval_start, ivr_document, ivr_version, node, reached, hangups, completed)
SELECT :t, interval_start, doc, ver, node, count(*), count(*) FILTER (WHERE hangup),
       count(*) FILTER (WHERE completed)
FROM per_call GROUP BY interval_start, doc, ver, node
"""

_EDGES = _STEPS + """
, per_call AS (
  SELECT DISTINCT id, interval_start, doc, ver, node, next_node,
         CASE WHEN last IS NULL THEN '' WHEN type = 'menu' AND last ~ '^[0-9*#]{1,2}$' THEN last
              ELSE CAST(:entered AS text) END AS digit
  FROM (SELECT s.*, LEFT(s.next, 64) AS next_node,
               (SELECT d.v FROM jsonb_array_elements_text(
                  CASE WHEN jsonb_typeof(s.digits) = 'array' THEN s.digits ELSE '[]'::jsonb END)
                  WITH ORDINALITY AS d(v, i) WHERE d.v <> '' ORDER BY d.i DESC LIMIT 1) AS last
        FROM s WHERE s.next IS NOT NULL) x
)
INSERT INTO report_ivr_edge (tenant_id, interval_start, ivr_document, ivr_version, node, next_node, digit, passes)
SELECT :t, interval_start, doc, ver, node, next_node, digit, count(*)
FROM per_call GROUP BY interval_start, doc, ver, node, next_node, digit
"""

#: A ticket's responder or completer (credit.py): the actor of the last history entry that set the field (a JSON
#: [old, new] whose new value is not null), a user by that username unless the actor is a system one
#: (services/response.is_system); NULL — the ticket's handler — otherwise. `{field}` is the ticket field.
_CREDIT = """(SELECT u.id FROM (SELECT h.actor FROM ticket_history h
    WHERE h.ticket_id = tk.id AND h.tenant_id = :t AND jsonb_typeof(h.changes -> '{field}') = 'array'
      AND jsonb_array_length(h.changes -> '{field}') = 2 AND jsonb_typeof(h.changes -> '{field}' -> 1) <> 'null'
    ORDER BY h.id DESC LIMIT 1) last_entry
  JOIN user_account u ON u.username = last_entry.actor
  WHERE btrim(last_entry.actor) <> '' AND last_entry.actor <> ALL (CAST(:system_actors AS text[]))
    AND NOT last_entry.actor LIKE ANY (CAST(:system_prefixes AS text[])))"""

_TICKETS = f"""
WITH forms(form_name, form_version, field, complaint) AS (SELECT * FROM jsonb_to_recordset(CAST(:forms AS jsonb))
       AS x(form_name text, form_version int, field text, complaint bool)),
urges AS (SELECT ticket_id, count(*) AS n FROM ticket_urge WHERE tenant_id = :t GROUP BY ticket_id),
k AS (
  SELECT {_FLOOR.format('tk.created_at')} AS interval_start, tk.form_name,
         CASE WHEN fm.field IS NOT NULL THEN LEFT(COALESCE(NULLIF(tk.data ->> fm.field, ''), ''), 64) ELSE '' END
           AS category,
         CASE WHEN COALESCE(tk.created_by, '') LIKE 'ivr:%' OR tk.created_by = 'ivr' THEN 'ivr'
              WHEN tk.call_id IS NOT NULL THEN 'call' ELSE 'desk' END AS source,
         COALESCE(tk.assignee_id, 0) AS agent_id, COALESCE(tk.handler_entry_id, 0) AS handler_entry_id,
         tk.status, COALESCE(u.n, 0) AS urges,
         COALESCE(fm.complaint, false) AS complaint,
         tk.first_responded_at, tk.first_response_due, tk.resolved_at, tk.resolution_due,
         CASE WHEN tk.first_responded_at IS NOT NULL THEN {_CREDIT.format(field='first_responded_at')} END
           AS responder,
         CASE WHEN tk.resolved_at IS NOT NULL THEN {_CREDIT.format(field='resolved_at')} END AS completer
  FROM ticket tk
  LEFT JOIN forms fm ON fm.form_name = tk.form_name AND fm.form_version = tk.form_version
  LEFT JOIN urges u ON u.ticket_id = tk.id
  WHERE tk.tenant_id = :t AND tk.created_at >= :lo AND tk.created_at < :hi
),
-- each ticket's counts in the row of whom they are credited to (intervals.ticket_sums): created, urges and
-- complaints its handler's; responses its responder's, completion its completer's (the handler's when unknown)
credited AS (
  SELECT interval_start, form_name, category, source, agent_id, status, handler_entry_id, 1 AS created,
         urges, CASE WHEN urges > 0 THEN 1 ELSE 0 END AS urged, CASE WHEN complaint THEN 1 ELSE 0 END AS complaints,
         0 AS r_in, 0 AS r_late, 0 AS c_in, 0 AS c_late
  FROM k
  UNION ALL
  SELECT interval_start, form_name, category, source,
         CASE WHEN responder IS NULL OR responder = agent_id THEN agent_id ELSE responder END, status,
         CASE WHEN responder IS NULL OR responder = agent_id THEN handler_entry_id ELSE 0 END, 0, 0, 0, 0,
         CASE WHEN first_response_due IS NULL OR first_responded_at <= first_response_due THEN 1 ELSE 0 END,
         CASE WHEN first_responded_at > first_response_due THEN 1 ELSE 0 END, 0, 0
  FROM k WHERE first_responded_at IS NOT NULL
  UNION ALL
  SELECT interval_start, form_name, category, source,
         CASE WHEN completer IS NULL OR completer = agent_id THEN agent_id ELSE completer END, status,
         CASE WHEN completer IS NULL OR completer = agent_id THEN handler_entry_id ELSE 0 END, 0, 0, 0, 0, 0, 0,
         CASE WHEN resolution_due IS NULL OR resolved_at <= resolution_due THEN 1 ELSE 0 END,
         CASE WHEN resolved_at > resolution_due THEN 1 ELSE 0 END
  FROM k WHERE resolved_at IS NOT NULL
)
INSERT INTO report_ticket_interval (tenant_id, interval_start, form_name, category, source, agent_id, status,
  handler_entry_id, created, responded_in_time, responded_late, completed_in_time, completed_late, urges,
  urged_tickets, complaints)
SELECT :t, interval_start, form_name, category, source, agent_id, status, handler_entry_id, sum(created),
  sum(r_in), sum(r_late), sum(c_in), sum(c_late), sum(urges), sum(urged), sum(complaints)
FROM credited GROUP BY interval_start, form_name, category, source, agent_id, status, handler_entry_id
"""


def rebuild_calls(session: Session, tenant_id: int, start: datetime, end: datetime, short: float) -> int:
    """Writes the call, IVR node and IVR edge rows of [start, end) (the caller deleted the old ones); returns
    the call records counted."""
    params: dict[str, Any] = {"t": tenant_id, "lo": start, "hi": end, "short": short, "entered": cl.ENTERED}
    session.execute(text(_CALLS), params)
    session.execute(text(_NODES), params)
    session.execute(text(_EDGES), params)
    return int(session.execute(text(
        "SELECT COALESCE(sum(calls), 0) FROM report_interval WHERE tenant_id = :t AND interval_start >= :lo "
        "AND interval_start < :hi"), params).scalar_one())


def rebuild_tickets(session: Session, tenant_id: int, start: datetime, end: datetime,
                    forms: list[dict[str, Any]]) -> int:
    """Writes the ticket rows of [start, end); `forms` names each form version's category field and whether
    it is a complaint form (classify.category_field / is_complaint_form). Returns the tickets counted."""
    import json

    params: dict[str, Any] = {"t": tenant_id, "lo": start, "hi": end, "forms": json.dumps(forms),
                              "system_actors": sorted(response.SYSTEM_ACTORS),
                              "system_prefixes": [f"{prefix}%" for prefix in response.SYSTEM_PREFIXES]}
    session.execute(text(_TICKETS), params)
    return int(session.execute(text(
        "SELECT COALESCE(sum(created), 0) FROM report_ticket_interval WHERE tenant_id = :t "
        "AND interval_start >= :lo AND interval_start < :hi"), params).scalar_one())
