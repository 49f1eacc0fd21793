"""Lua bodies of the call scripts: enqueue, claim, leave, no-answer, answered (prelude in scripts.py).

Queue scores: ``(9 - priority) * 1e13 + enqueue milliseconds``; the lowest score is the head, so higher
priority comes first and, within a priority, the earlier call. 1e13 ms is ~300 years, so bands never
overlap, and the largest score (~1e14) is an exact integer in a double.
"""

from __future__ import annotations

# ARGV: P, call, tenant, queue, priority, skills JSON list, enqueued_at seconds ('' = now), lease seconds.
# A call already known keeps its score (it is only re-added if its queue entry was lost), so enqueueing
# twice never moves a call back in line.
ENQUEUE = r"""
local call, tenant, queue = ARGV[2], ARGV[3], ARGV[4]
local lease = tonumber(ARGV[8])
local ckey = k_call(P, call)
local qkey = k_queue(P, tenant, queue)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent', 'enqueued_at', 'score')
if c[1] then
  if c[1] ~= tenant or c[2] ~= queue then return {'elsewhere', c[1], c[2]} end
  if c[3] == 'offered' then return {'offered', c[4], c[5], fmt(NOW)} end
  redis.call('ZADD', qkey, 'NX', c[6], call)
  redis.call('HSET', ckey, 'lease_until', fmt(NOW + lease))
  return {'waiting', '', c[5], fmt(NOW)}
end
local band = (9 - tonumber(ARGV[5])) * 1e13
local ms
if ARGV[7] ~= '' then
  ms = math.floor(tonumber(ARGV[7]) * 1000)
else
  ms = math.floor(NOW * 1000)
  -- strict FIFO within a millisecond: never score at or before the last call of the same band
  local last = redis.call('ZREVRANGEBYSCORE', qkey, band + 1e13 - 1, band, 'WITHSCORES', 'LIMIT', 0, 1)
  if last[2] and tonumber(last[2]) - band >= ms then ms = tonumber(last[2]) - band + 1 end
end
local score = string.format('%.0f', band + ms)
redis.call('ZADD', qkey, score, call)
redis.call('SADD', k_queues(P, tenant), queue)
redis.call('HSET', ckey, 'tenant', tenant, 'queue', queue, 'priority', ARGV[5], 'skills', ARGV[6],
  'enqueued_at', fmt(ms / 1000), 'score', score, 'state', 'waiting', 'agent', '', 'lease_until', fmt(NOW + lease))
-- a safety net only: calls leave through leave/answered/call_ended long before this
redis.call('EXPIRE', ckey, 86400)
emit(tenant, 'call_enqueued', {'call', call, 'queue', queue, 'priority', ARGV[5]})
return {'waiting', '', fmt(ms / 1000), fmt(NOW)}
"""

# ARGV: P, call, lease seconds, scan batch size.
# Replies: assigned <agent> (this attempt claimed), offered <agent> (claimed before), not_head <rank>,
# no_agent <next available-from or ''> <now>, gone.
CLAIM = r"""
local call = ARGV[2]
local lease = tonumber(ARGV[3])
local batch = tonumber(ARGV[4])
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'skills', 'state', 'agent')
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
  redis.call('DEL', k_call(P, head))
  emit(tenant, 'call_left', {'call', head, 'queue', queue, 'reason', 'lease_expired'})
end
redis.call('HSET', ckey, 'lease_until', fmt(NOW + lease))
if head ~= call then
  local rank = redis.call('ZRANK', qkey, call)
  if not rank then return {'gone'} end
  return {'not_head', tostring(rank)}
end

-- Longest idle first: the idle set is ordered by available-from; entries in the future are agents
-- still in wrap-up. The state check repeats the index's promise, for safety, at no extra round trip.
local required = cjson.decode(c[3])
local ikey = k_idle(P, tenant)
local offset = 0
while true do
  local ids = redis.call('ZRANGEBYSCORE', ikey, '-inf', fmt(NOW), 'LIMIT', offset, batch)
  for _, agent in ipairs(ids) do
    local a = redis.call('HMGET', k_agent(P, agent), 'state', 'since', 'wrap_until')
    local ok = effective(a[1], a[2], a[3]) == 'available'
    if ok and #required > 0 then
      local levels = redis.call('HMGET', k_skills(P, agent, tenant), unpack(required))
      for i = 1, #required do if not levels[i] then ok = false; break end end
    end
    if ok then
      local prev = redis.call('ZSCORE', ikey, agent)
      set_presence(agent, 'ringing', NOW, '', nil,
        {'call', call, 'call_tenant', tenant, 'queue', queue, 'prev_idle', prev})
      redis.call('ZREM', qkey, call)
      redis.call('HSET', ckey, 'state', 'offered', 'agent', agent)
      emit(tenant, 'call_offered', {'call', call, 'queue', queue, 'agent', agent})
      wake_head(tenant, queue)
      return {'assigned', agent}
    end
  end
  if #ids < batch then break end
  offset = offset + batch
end
local nxt = redis.call('ZRANGEBYSCORE', ikey, '(' .. fmt(NOW), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return {'no_agent', nxt[2] or '', fmt(NOW)}
"""

# ARGV: P, call, reason (timeout | cancelled).
# A call still waiting leaves its queue. A call already offered: on timeout the claim won the race and
# the caller gets the agent (reply offered); on cancel the caller is gone, so the ringing agent goes
# back to available with its old place in the idle order.
LEAVE = r"""
local call, reason = ARGV[2], ARGV[3]
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent')
if not c[1] then return {'gone'} end
local tenant, queue, agent = c[1], c[2], c[4]
if c[3] == 'offered' then
  if reason ~= 'cancelled' then return {'offered', agent} end
  local a = redis.call('HMGET', k_agent(P, agent), 'state', 'call', 'prev_idle')
  if a[1] == 'ringing' and a[2] == call then
    set_presence(agent, 'available', tonumber(a[3]) or NOW, '', nil)
  end
  redis.call('DEL', ckey)
  emit(tenant, 'call_left', {'call', call, 'queue', queue, 'reason', reason, 'agent', agent})
  return {'released', agent}
end
local qkey = k_queue(P, tenant, queue)
local rank = redis.call('ZRANK', qkey, call)
redis.call('ZREM', qkey, call)
redis.call('DEL', ckey)
emit(tenant, 'call_left', {'call', call, 'queue', queue, 'reason', reason})
if rank == 0 then wake_head(tenant, queue) end
return {'removed'}
"""

# ARGV: P, call, agent, lease seconds.
# The call goes back with its original score (ahead of everyone who came later) and the agent to
# break/no_answer, so the same agent is not offered the same call again and again.
RELEASE_NO_ANSWER = r"""
local call, agent = ARGV[2], ARGV[3]
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent', 'score')
if not c[1] then return {'gone'} end
if c[3] ~= 'offered' or c[4] ~= agent then return {'not_offered'} end
local tenant, queue = c[1], c[2]
local qkey = k_queue(P, tenant, queue)
redis.call('ZADD', qkey, c[5], call)
redis.call('HSET', ckey, 'state', 'waiting', 'agent', '', 'lease_until', fmt(NOW + tonumber(ARGV[4])))
local a = redis.call('HMGET', k_agent(P, agent), 'state', 'call')
if a[1] == 'ringing' and a[2] == call then set_presence(agent, 'break', NOW, 'no_answer', nil) end
emit(tenant, 'call_requeued', {'call', call, 'queue', queue, 'agent', agent, 'reason', 'no_answer'})
local rank = redis.call('ZRANK', qkey, call)
if rank == 0 then wake_head(tenant, queue) end
return {'requeued', tostring(rank)}
"""

# ARGV: P, call, agent. The agent picked up: on_call, and the call leaves the ACD's bookkeeping.
AGENT_ANSWERED = r"""
local call, agent = ARGV[2], ARGV[3]
local ckey = k_call(P, call)
local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent')
if c[3] ~= 'offered' or c[4] ~= agent then return {'not_offered'} end
local a = redis.call('HMGET', k_agent(P, agent), 'state', 'call')
if (a[1] == 'ringing' or a[1] == 'on_call') and a[2] ~= call then return {'busy', a[1]} end
set_presence(agent, 'on_call', NOW, '', nil, {'call', call, 'call_tenant', c[1], 'queue', c[2]})
redis.call('DEL', ckey)
emit(c[1], 'call_answered', {'call', call, 'queue', c[2], 'agent', agent})
return {'ok'}
"""
