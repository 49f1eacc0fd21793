"""Lua bodies of the presence scripts (the prelude in scripts.py defines NOW, set_presence, ...).

Replies are flat arrays of strings: a status word first (times as strings, since Lua numbers would be
truncated to integers on the way out).
"""

from __future__ import annotations

# An agent-chosen change of state. An agent ringing or on a call can only go offline this way: leaving
# the call state any other way would put the agent back in idle sets while a call still holds it.
# Re-selecting the current state with the same reason keeps `since` (pressing "ready" twice must not
# cost the agent its place in the longest-idle order).
_TRANSITION = r"""
local function transition(agent, target, reason, wrap_seconds)
  local cur = redis.call('HMGET', k_agent(P, agent), 'state', 'since', 'wrap_until', 'reason')
  if (cur[1] == 'ringing' or cur[1] == 'on_call') and target ~= 'offline' then
    return {'busy', cur[1]}
  end
  local state, since = effective(cur[1], cur[2], cur[3])
  if not (target == state and target ~= 'wrap_up' and (reason == str(cur[4]) or state == 'available')) then
    since = NOW
  end
  local wrap_until = nil
  if target == 'wrap_up' and wrap_seconds ~= '' then wrap_until = NOW + tonumber(wrap_seconds) end
  set_presence(agent, target, since, reason, wrap_until)
  return {'ok', target, fmt(since)}
end
"""

# ARGV: P, agent, skills JSON {tenant: {skill: level}}, initial state.
# Replaces the agent's tenants and skills; a busy agent keeps its call state (skills still change).
LOGIN = _TRANSITION + r"""
local agent = ARGV[2]
local skills = cjson.decode(ARGV[3])
local tkey = k_agent_tenants(P, agent)
-- out of the per-skill idle sets of the skills it had (set_presence below puts it in those it has now)
local function forget_skills(t)
  for _, s in ipairs(redis.call('HKEYS', k_skills(P, agent, t))) do redis.call('ZREM', k_idle_skill(P, t, s), agent) end
end
for _, t in ipairs(redis.call('SMEMBERS', tkey)) do
  if skills[t] == nil then
    forget_skills(t)
    redis.call('SREM', k_tenant_agents(P, t), agent)
    redis.call('ZREM', k_idle(P, t), agent)
    redis.call('DEL', k_skills(P, agent, t))
    redis.call('SREM', tkey, t)
  end
end
for t, levels in pairs(skills) do
  redis.call('SADD', tkey, t)
  redis.call('SADD', k_tenant_agents(P, t), agent)
  local skey = k_skills(P, agent, t)
  forget_skills(t)
  redis.call('DEL', skey)
  for skill, level in pairs(levels) do redis.call('HSET', skey, skill, level) end
end
local state = redis.call('HGET', k_agent(P, agent), 'state')
if state == 'ringing' or state == 'on_call' then
  return {'busy', state}
end
return transition(agent, ARGV[4], '', '')
"""

# ARGV: P, agent, state, reason, wrap-up seconds ('' = until the agent says otherwise).
SET_STATE = _TRANSITION + r"""
local agent = ARGV[2]
if redis.call('EXISTS', k_agent(P, agent)) == 0 then return {'unknown'} end
return transition(agent, ARGV[3], ARGV[4], ARGV[5])
"""

# ARGV: P, agent, wrap-up seconds. The agent's call is over (answered and hung up, or never connected):
# wrap_up until the deadline, or available at once for 0 seconds, or (negative) an open wrap_up the agent
# ends. A call still offered to the agent (it hung up while ringing) is dropped from the ACD with it, and
# the other agents of a ring-all are withdrawn. An answered call's handle time (talk + wrap-up) joins the
# queue's recent handle times.
CALL_ENDED = r"""
local agent = ARGV[2]
local a = redis.call('HMGET', k_agent(P, agent), 'state', 'call', 'call_tenant', 'queue', 'since')
if a[1] ~= 'on_call' and a[1] ~= 'ringing' then return {'not_in_call', str(a[1])} end
local seconds = tonumber(ARGV[3])
local hold = seconds < 0
if hold then seconds = 0 end
local ckey = k_call(P, a[2])
local offered = redis.call('HGET', ckey, 'agent')
if offered_to(offered, agent) then
  for _, other in ipairs(split_agents(offered)) do
    if other ~= agent then withdraw(other, a[2]) end
  end
  drop_call(a[2])
end
if a[3] ~= '' then
  emit(a[3], 'call_ended', {'call', a[2], 'queue', a[4], 'agent', agent})
  if a[1] == 'on_call' then
    local hkey = k_handle(P, a[3], a[4])
    redis.call('LPUSH', hkey, fmt(NOW - (tonumber(a[5]) or NOW) + seconds))
    redis.call('LTRIM', hkey, 0, HANDLE_TIMES_KEPT - 1)
  end
end
if hold then
  set_presence(agent, 'wrap_up', NOW, '', nil)
  return {'ok', 'wrap_up'}
end
if seconds > 0 then
  set_presence(agent, 'wrap_up', NOW, '', NOW + seconds)
  return {'ok', 'wrap_up'}
end
set_presence(agent, 'available', NOW, '', nil)
return {'ok', 'available'}
"""
