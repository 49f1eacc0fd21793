"""Lua body of the sweep: what a runtime process held is freed once its lease has expired (leases.py).

The prelude in scripts.py defines set_presence, withdraw, emit and the owner index (own/disown).
"""

from __future__ import annotations

# ARGV: P, the most runtimes to sweep in one run, then agents to keep (on a call the switch still has: leases.py);
# a runtime with a kept agent stays listed, so the next sweep asks about that agent again.
# For every runtime listed in P:runtimes whose lease key is gone: each agent it held (ringing or on a call,
# and still recorded as held by it) becomes available; each call it held leaves the ACD (a waiting call
# leaves its queue, so it no longer holds the callers behind it; an offered call's ringing agents are
# withdrawn). Members whose owner has changed since (the index is only a hint) are skipped. Each call it carried
# (``live:<call>``, live_calls.py) moves, as JSON with ``lost_at`` (the runtime's last renewal), to the lost-calls
# list, from which a process with the database writes its call record (runtime_lost).
# A live call whose agent is kept stays (marked ``outlived``) until a sweep finds its call gone; its lost_at is then
# that sweep's time, the nearest to the real hang-up there is (QA 12 #1).
# Reply: swept runtime ids, agents freed, calls removed, live calls moved to the lost-calls list, and every expired
# runtime looked at (kept ones too: the warning names them, QA 12 #3).
SWEEP = r"""
local most = tonumber(ARGV[2]) or 16
local swept, expired, agents, calls, lost = {}, {}, 0, 0, 0
local keep = {}
for i = 3, #ARGV - 1 do keep[ARGV[i]] = true end  -- the last ARGV is this runtime (scripts.py)
for _, id in ipairs(redis.call('SMEMBERS', k_runtimes(P))) do
  if #swept >= most then break end
  if redis.call('EXISTS', k_runtime(P, id)) == 0 then
    local okey = k_runtime_owned(P, id)
    local kept = false
    expired[#expired + 1] = id
    local seen = redis.call('HGET', k_runtimes_seen(P), id)
    for _, member in ipairs(redis.call('SMEMBERS', okey)) do
      local kind, x = string.match(member, '^(%a+):(.*)$')
      if kind == 'call' then
        local ckey = k_call(P, x)
        local c = redis.call('HMGET', ckey, 'tenant', 'queue', 'state', 'agent', 'runtime')
        if c[1] and c[5] == id then
          local qkey = k_queue(P, c[1], c[2])
          local rank = redis.call('ZRANK', qkey, x)
          if c[3] == 'offered' then
            for _, a in ipairs(split_agents(c[4])) do
              if withdraw(a, x) then agents = agents + 1 end
            end
          else
            redis.call('ZREM', qkey, x)
          end
          redis.call('DEL', ckey)
          emit(c[1], 'call_left', {'call', x, 'queue', c[2], 'reason', 'runtime_lost'})
          if rank == 0 then wake_head(c[1], c[2]) end
          calls = calls + 1
        end
      elseif kind == 'live' then
        local lkey = k_live(P, x)
        local flat = redis.call('HGETALL', lkey)
        local entry = {}
        for i = 1, #flat, 2 do entry[flat[i]] = flat[i + 1] end
        local agent = entry['agent']
        if entry['runtime'] == id and agent and keep[agent] then
          -- still bridged in the switch (QA 12 #1): the record waits for the real end; a later sweep finding the
          -- call gone writes it then, ended at that sweep rather than at the runtime's death
          if not entry['outlived'] then redis.call('HSET', lkey, 'outlived', fmt(NOW)) end
          kept = true
        elseif entry['runtime'] == id then
          entry['uuid'] = x
          if entry['outlived'] then
            entry['lost_at'] = fmt(NOW)
          else
            entry['lost_at'] = seen or fmt(NOW)
          end
          entry['swept_at'] = fmt(NOW)
          redis.call('RPUSH', k_lost_calls(P), cjson.encode(entry))
          redis.call('LTRIM', k_lost_calls(P), -100000, -1)
          redis.call('DEL', lkey)
          lost = lost + 1
        end
        if not (kept and agent and keep[agent]) then redis.call('SREM', okey, member) end
      elseif kind == 'agent' then
        local a = redis.call('HMGET', k_agent(P, x), 'state', 'runtime')
        if (a[1] == 'ringing' or a[1] == 'on_call') and a[2] == id then
          if keep[x] and a[1] == 'on_call' then
            kept = true
          else
            set_presence(x, 'available', NOW, '', nil)
            agents = agents + 1
          end
        end
      end
    end
    if not kept then
      redis.call('DEL', okey)
      redis.call('SREM', k_runtimes(P), id)
      redis.call('HDEL', k_runtimes_seen(P), id)
      swept[#swept + 1] = id
    end
  end
end
return {table.concat(swept, ' '), tostring(agents), tostring(calls), tostring(lost), table.concat(expired, ' ')}
"""
