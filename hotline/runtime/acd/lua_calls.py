"""Lua bodies of the call scripts: enqueue, claim, leave, no-answer, answered (prelude in scripts.py).

Queue scores (lowest = head): ``enqueue ms - priority * K``. K is the queue's ageing step, the
milliseconds of waiting worth one priority level: a call's effective priority is ``priority + waited /
K``, and since every call of the queue ages at the same rate, comparing effective priorities now is
comparing those fixed scores — so ageing needs no re-scoring and the head is always ZRANGE 0 0. Without
ageing K is 1e13 ms (~300 years): pure priority bands, FIFO inside a band. Scores stay exact integers
in a double (|score| < 1e14). Enqueue milliseconds are made strictly increasing per queue (qmeta
last_ms), so calls of one priority are first-come first-served even within one millisecond.

Strategies (the claim's choice among available agents holding every required skill, within the
tenant's cap on shared agents): longest_idle, round_robin (agent ids in order, carrying on after the
queue's last agent), fewest_calls (fewest answered today, then longest idle), skills_levels (highest
sum of the required skills' levels, then longest idle), ring_all (every candidate rings at once; the
first to answer takes the call, the others' offers are withdrawn).
"""

from __future__ import annotations

STRATEGIES: tuple[str, ...] = ("longest_idle", "round_robin", "fewest_calls", "skills_levels", "ring_all")
#: Handle times kept per queue for the estimated wait time.
HANDLE_TIMES_KEPT = 50
#: The ageing step when a queue does not age: far longer than any call waits.
NO_AGEING_MS = 1e13

# ARGV: P, call, tenant, queue, priority, skills JSON list, enqueued_at seconds ('' = now), lease seconds,
# ageing ms per level ('' = none), strategy, cap on shared agents ('' = none), day offset seconds,
# claim at once ('1': the first claim attempt in the same step, saving a round trip; reply offered),
# target agent ('' = none), seconds only the target agent may take the call (then the queue's strategy).
# A call already known keeps its score (it is only re-added if its queue entry was lost), so enqueueing
# twice never moves a call back in line.
ENQUEUE_BODY = r"""
local call, tenant, queue = ARGV[2], ARGV[3], ARGV[4]
local lease = tonumber(ARGV[8])
local ckey = k_call(P, call)
local qkey = k_queue(P, tenant, queue)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent', 'enqueued_at', 'score')
if c[1] then
  if c[1] ~= tenant or c[2] ~= queue then return {'elsewhere', c[1], c[2]} end
  if c[3] == 'offered' then return {'offered', c[4], c[5], fmt(NOW)} end
  redis.call('ZADD', qkey, 'NX', c[6], call)
  redis.call('HSET', ckey, 'lease_until', fmt(NOW + lease), 'runtime', R)
  own('call', call)
  if ARGV[13] == '1' then
    local r = claim(call, lease, 64)
    if r[1] == 'assigned' then return {'offered', r[2], c[5], fmt(NOW)} end
  end
  return {'waiting', '', c[5], fmt(NOW)}
end
local step = tonumber(ARGV[9]) or NO_AGEING_MS
if step <= 0 then step = NO_AGEING_MS end
local mkey = k_qmeta(P, tenant, queue)
local ms
if ARGV[7] ~= '' then
  ms = math.floor(tonumber(ARGV[7]) * 1000)
else
  ms = math.floor(NOW * 1000)
  -- strict FIFO within a millisecond: never stamp at or before the queue's last stamp
  local last = tonumber(redis.call('HGET', mkey, 'last_ms') or '0')
  if last >= ms then ms = last + 1 end
  redis.call('HSET', mkey, 'last_ms', string.format('%.0f', ms))
end
local score = string.format('%.0f', ms - tonumber(ARGV[5]) * step)
redis.call('ZADD', qkey, score, call)
redis.call('SADD', k_queues(P, tenant), queue)
redis.call('HSET', ckey, 'tenant', tenant, 'queue', queue, 'priority', ARGV[5], 'skills', ARGV[6],
  'enqueued_at', fmt(ms / 1000), 'score', score, 'state', 'waiting', 'agent', '', 'lease_until', fmt(NOW + lease),
  'strategy', ARGV[10], 'cap', ARGV[11], 'day_off', ARGV[12], 'runtime', R,
  'target', ARGV[14], 'target_until', fmt(NOW + (tonumber(ARGV[15]) or 0)))
own('call', call)
-- a safety net only: calls leave through leave/answered/call_ended long before this
redis.call('EXPIRE', ckey, 86400)
emit(tenant, 'call_enqueued', {'call', call, 'queue', queue, 'priority', ARGV[5], 'enqueued_at', fmt(ms / 1000)})
if ARGV[13] == '1' then
  local r = claim(call, lease, 64)
  if r[1] == 'assigned' then return {'offered', r[2], fmt(ms / 1000), fmt(NOW)} end
end
return {'waiting', '', fmt(ms / 1000), fmt(NOW)}
"""

# ARGV: P, call, lease seconds, scan batch size.
# Replies: assigned <agents> (this attempt claimed; several joined by ':' for ring-all), offered <agents>
# (claimed before), not_head <rank>, no_agent <next available-from or ''> <now>, gone.
CLAIM_FUNCTION = r"""
local function claim(call, lease, batch)
  local ckey = k_call(P, call)
  local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'skills', 'state', 'agent', 'strategy', 'cap', 'day_off',
    'target', 'target_until')
  if not c[1] then return {'gone'} end
  if c[4] == 'offered' then return {'offered', c[5]} end
  local tenant, queue = c[1], c[2]
  local qkey = k_queue(P, tenant, queue)

  -- Only the head may be served. A head whose waiting coroutine stopped renewing its lease (its runtime
  -- process died) would block the queue for ever, so the calls behind it reap it.
  local head
  for _ = 1, 32 do
    head = redis.call('ZRANGE', qkey, 0, 0)[1]
    if not head or head == call then break end
    if tonumber(redis.call('HGET', k_call(P, head), 'lease_until') or '0') >= NOW then break end
    redis.call('ZREM', qkey, head)
    drop_call(head)
    emit(tenant, 'call_left', {'call', head, 'queue', queue, 'reason', 'lease_expired'})
  end
  redis.call('HSET', ckey, 'lease_until', fmt(NOW + lease))
  if head ~= call then
    local rank = redis.call('ZRANK', qkey, call)
    if not rank then return {'gone'} end
    return {'not_head', tostring(rank)}
  end

  local required = cjson.decode(c[3])
  local strategy = str(c[6])
  if strategy == '' then strategy = 'longest_idle' end
  local ikey = k_idle(P, tenant)
  -- room: how many more shared agents the tenant may hold (nil = no cap)
  local room = tonumber(str(c[7]))
  if room then room = room - redis.call('SCARD', k_held(P, tenant)) end

  -- The agents to look at: those idle for the call's rarest required skill (every candidate must hold
  -- it), or all the tenant's idle agents for a call without skills (or an empty skill set: that way an
  -- agent logged in before the skill index existed is still found).
  local scan = ikey
  local fewest = nil
  for _, s in ipairs(required) do
    local n = redis.call('ZCARD', k_idle_skill(P, tenant, s))
    if fewest == nil or n < fewest then fewest, scan = n, k_idle_skill(P, tenant, s) end
  end
  if fewest == 0 then scan = ikey end
  -- the required skills the scanned set does not already guarantee
  local check = {}
  for _, s in ipairs(required) do
    if k_idle_skill(P, tenant, s) ~= scan then check[#check + 1] = s end
  end
  local need_levels = strategy == 'skills_levels' and #required > 0

  -- The agent's level for the call (sum of the required skills' levels; 0 when the strategy does not
  -- rank by level), or nil when it lacks a required skill. One call at most, none when the scanned set
  -- already guarantees the only skill needed.
  local function fit(agent)
    local names = need_levels and required or check
    if #names == 0 then return 0 end
    local levels = redis.call('HMGET', k_skills(P, agent, tenant), unpack(names))
    local level = 0
    for i = 1, #names do
      if not levels[i] then return nil end
      level = level + (tonumber(levels[i]) or 1)
    end
    return level
  end
  local function shared(agent) return redis.call('SCARD', k_agent_tenants(P, agent)) > 1 end
  -- the cap only matters once the tenant has no room left
  local function allowed(agent) return not room or room > 0 or not shared(agent) end
  -- The idle index promises the state; it is checked again, for safety, for the agents about to be chosen.
  -- An agent reserved for another call (preview: they dialled and wait for their callee; platform/acd/
  -- reservations.py) is not ready until the reservation ends or lapses.
  local function ready(agent)
    local a = redis.call('HMGET', k_agent(P, agent), 'state', 'since', 'wrap_until', 'reserved_for', 'reserved_until')
    if a[4] and a[4] ~= '' and a[4] ~= call and (tonumber(a[5]) or 0) > NOW then return false end
    return effective(a[1], a[2], a[3]) == 'available'
  end

  local chosen = {}
  -- A targeted call (a callback booked with one agent) is that agent's alone until target_until: it must be
  -- idle (not in wrap-up), hold every required skill and be allowed by the cap; else nobody, and the call is
  -- tried again at target_until, when the queue's strategy takes over.
  local target, target_until = str(c[9]), tonumber(str(c[10])) or 0
  if target ~= '' and NOW < target_until then
    local idle_from = tonumber(redis.call('ZSCORE', ikey, target) or '')
    local skilled = true
    if #required > 0 then
      local levels = redis.call('HMGET', k_skills(P, target, tenant), unpack(required))
      for i = 1, #required do if not levels[i] then skilled = false end end
    end
    if idle_from and idle_from <= NOW and skilled and allowed(target) and ready(target) then
      chosen[1] = target
    else
      return {'no_agent', fmt(target_until), fmt(NOW)}
    end
  elseif strategy == 'longest_idle' then
    -- the idle set is ordered by available-from; entries in the future are agents still in wrap-up
    local offset = 0
    while #chosen == 0 do
      local ids = redis.call('ZRANGEBYSCORE', scan, '-inf', fmt(NOW), 'LIMIT', offset, batch)
      for _, agent in ipairs(ids) do
        if fit(agent) and allowed(agent) and ready(agent) then chosen[1] = agent; break end
      end
      if #ids < batch then break end
      offset = offset + batch
    end
  elseif strategy == 'ring_all' then
    for _, agent in ipairs(redis.call('ZRANGEBYSCORE', scan, '-inf', fmt(NOW))) do
      if fit(agent) and ready(agent) then
        if not room then
          chosen[#chosen + 1] = agent
        else
          local counts = shared(agent)
          if not counts or room > 0 then
            chosen[#chosen + 1] = agent
            if counts then room = room - 1 end
          end
        end
      end
    end
  else
    -- rank every fitting idle agent (longest idle first, so ties go to the longest idle), then take the
    -- best one that the cap allows and whose state holds
    local ids = redis.call('ZRANGEBYSCORE', scan, '-inf', fmt(NOW))
    local mkey = k_qmeta(P, tenant, queue)
    local last = strategy == 'round_robin' and str(redis.call('HGET', mkey, 'rr_last')) or ''
    local calls = {}
    if strategy == 'fewest_calls' and #ids > 0 then
      local day = tostring(math.floor((NOW + (tonumber(str(c[8])) or 0)) / 86400))
      calls = redis.call('HMGET', k_calls_today(P, day), unpack(ids))
    end
    -- only skills_levels ranks by the skills' levels; the other rankings need no per-agent read, so the
    -- skills are checked lazily, best-ranked first, until one agent fits (one HMGET, not one per idle agent)
    local lazy = strategy ~= 'skills_levels'
    local ranked = {}
    for i, agent in ipairs(ids) do
      local level = 0
      if not lazy then level = fit(agent) end
      if level then
        local k1, k2  -- lower is better
        if strategy == 'skills_levels' then
          k1, k2 = -level, i
        elseif strategy == 'fewest_calls' then
          k1, k2 = tonumber(calls[i] or '0') or 0, i
        else  -- round_robin: ids after the queue's last agent first, then from the start again
          k1, k2 = (agent > last) and 0 or 1, agent
        end
        ranked[#ranked + 1] = {agent, k1, k2}
      end
    end
    table.sort(ranked, function(x, y)
      if x[2] ~= y[2] then return x[2] < y[2] end
      return x[3] < y[3]
    end)
    for _, r in ipairs(ranked) do
      if (not lazy or fit(r[1])) and allowed(r[1]) and ready(r[1]) then chosen[1] = r[1]; break end
    end
    if strategy == 'round_robin' and chosen[1] then redis.call('HSET', mkey, 'rr_last', chosen[1]) end
  end

  if #chosen > 0 then
    for _, agent in ipairs(chosen) do
      local prev = redis.call('ZSCORE', ikey, agent)
      -- the call the agent was reserved for reached them: the reservation has done its work
      if redis.call('HGET', k_agent(P, agent), 'reserved_for') == call then
        redis.call('HDEL', k_agent(P, agent), 'reserved_for', 'reserved_until')
      end
      set_presence(agent, 'ringing', NOW, '', nil,
        {'call', call, 'call_tenant', tenant, 'queue', queue, 'prev_idle', prev})
    end
    local joined = table.concat(chosen, ':')
    redis.call('ZREM', qkey, call)
    redis.call('HSET', ckey, 'state', 'offered', 'agent', joined)
    if #chosen == 1 then
      emit(tenant, 'call_offered', {'call', call, 'queue', queue, 'agent', joined})
    else
      emit(tenant, 'call_offered', {'call', call, 'queue', queue, 'agents', joined})
    end
    wake_head(tenant, queue)
    return {'assigned', joined}
  end
  local nxt = redis.call('ZRANGEBYSCORE', scan, '(' .. fmt(NOW), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  return {'no_agent', nxt[2] or '', fmt(NOW)}
end
"""

CLAIM = CLAIM_FUNCTION + r"""
return claim(ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
"""

ENQUEUE = CLAIM_FUNCTION + ENQUEUE_BODY

# ARGV: P, call, reason (timeout | overflow | cancelled).
# A call still waiting leaves its queue. A call already offered: on timeout/overflow the claim won the
# race and the caller gets the agent(s) (reply offered); on cancel the caller is gone, so the ringing
# agents go back to available with their old place in the idle order.
LEAVE = r"""
local call, reason = ARGV[2], ARGV[3]
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent')
if not c[1] then return {'gone'} end
local tenant, queue, agents = c[1], c[2], c[4]
if c[3] == 'offered' then
  if reason ~= 'cancelled' then return {'offered', agents} end
  for _, agent in ipairs(split_agents(agents)) do withdraw(agent, call) end
  drop_call(call)
  emit(tenant, 'call_left', {'call', call, 'queue', queue, 'reason', reason, 'agent', agents})
  return {'released', agents}
end
local qkey = k_queue(P, tenant, queue)
local rank = redis.call('ZRANK', qkey, call)
redis.call('ZREM', qkey, call)
drop_call(call)
emit(tenant, 'call_left', {'call', call, 'queue', queue, 'reason', reason})
if rank == 0 then wake_head(tenant, queue) end
return {'removed'}
"""

# ARGV: P, call, agent, lease seconds, outcome, pause seconds ('' = until the agent says otherwise),
# rejects allowed in a row.
# The call goes back with its original score (ahead of everyone who came later). A single agent goes to
# a state for why the offer failed (offers.py), so the same agent is not offered the same call again and
# again: not_registered -> offline (its phone is not there); busy / no_answer / unreachable -> a break
# with that reason for the pause, then available by itself; rejected -> available at the back of the
# idle order, and a break "rejected" (not ready, until the agent says otherwise) after `limit` rejects in
# a row. The agents of a ring-all that nobody answered go back to available (ringing them all again is
# what ring-all means).
RELEASE_NO_ANSWER = r"""
local call, agent, outcome = ARGV[2], ARGV[3], ARGV[5]
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent', 'score')
if not c[1] then return {'gone'} end
if c[3] ~= 'offered' or not offered_to(c[4], agent) then return {'not_offered'} end
local tenant, queue = c[1], c[2]
local qkey = k_queue(P, tenant, queue)
redis.call('ZADD', qkey, c[5], call)
redis.call('HSET', ckey, 'state', 'waiting', 'agent', '', 'lease_until', fmt(NOW + tonumber(ARGV[4])))
local agents = split_agents(c[4])
local became = ''
if #agents == 1 then
  local akey = k_agent(P, agent)
  local a = redis.call('HMGET', akey, 'state', 'call', 'rejects')
  if a[1] == 'ringing' and a[2] == call then
    local pause = tonumber(ARGV[6])
    local until_ = pause and pause > 0 and (NOW + pause) or nil
    if outcome == 'not_registered' then
      set_presence(agent, 'offline', NOW, 'not_registered', nil)
    elseif outcome == 'rejected' then
      local rejects = (tonumber(a[3]) or 0) + 1
      if rejects >= (tonumber(ARGV[7]) or 1) then
        set_presence(agent, 'break', NOW, 'rejected', nil)
        rejects = 0
      else
        set_presence(agent, 'available', NOW, '', nil)
      end
      redis.call('HSET', akey, 'rejects', tostring(rejects))
    else
      set_presence(agent, 'break', NOW, outcome, until_)
    end
    became = redis.call('HGET', akey, 'state')
  end
else
  for _, other in ipairs(agents) do withdraw(other, call) end
end
emit(tenant, 'call_requeued', {'call', call, 'queue', queue, 'agent', c[4], 'reason', outcome})
local rank = redis.call('ZRANK', qkey, call)
if rank == 0 then wake_head(tenant, queue) end
return {'requeued', tostring(rank), became}
"""

# ARGV: P, call, agent. The agent picked up: on_call, the other agents of a ring-all are withdrawn, the
# agent's calls of the day count one more, and the call leaves the ACD's bookkeeping.
AGENT_ANSWERED = r"""
local call, agent = ARGV[2], ARGV[3]
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent', 'day_off')
if c[3] ~= 'offered' or not offered_to(c[4], agent) then return {'not_offered'} end
local a = redis.call('HMGET', k_agent(P, agent), 'state', 'call')
if (a[1] == 'ringing' or a[1] == 'on_call') and a[2] ~= call then return {'busy', a[1]} end
for _, other in ipairs(split_agents(c[4])) do
  if other ~= agent then withdraw(other, call) end
end
set_presence(agent, 'on_call', NOW, '', nil, {'call', call, 'call_tenant', c[1], 'queue', c[2], 'rejects', '0'})
local day = tostring(math.floor((NOW + (tonumber(str(c[5])) or 0)) / 86400))
redis.call('HINCRBY', k_calls_today(P, day), agent, 1)
redis.call('EXPIRE', k_calls_today(P, day), 3 * 86400)
drop_call(call)
emit(c[1], 'call_answered', {'call', call, 'queue', c[2], 'agent', agent})
return {'ok'}
"""
