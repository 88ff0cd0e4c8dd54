import { createHash } from "node:crypto";

/**
 * GCRA in one Lua script, so a request costs one round trip (EVALSHA) and two workers can never
 * both spend the last unit. The clock is Redis's own `TIME`: workers on machines with skewed
 * clocks still share one timeline. KEYS[1] = the bucket; ARGV = interval ms, burst ms, cost.
 * Answers { allowed (0/1), remaining, reset ms, retry-after ms } (numbers as strings: Lua
 * integers would truncate the fractions).
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local nxt = tat + interval * cost
local allow_at = nxt - burst
if allow_at - now > 0.000001 then
  return {0, '0', tostring(tat - now), tostring(allow_at - now)}
end
redis.call('SET', KEYS[1], tostring(nxt), 'PX', math.max(1, math.ceil(nxt - now)))
local remaining = math.floor((burst - (nxt - now)) / interval + 0.000001)
if remaining < 0 then remaining = 0 end
return {1, tostring(remaining), tostring(nxt - now), '0'}
`;

/** The script's SHA-1, as EVALSHA wants it. */
export const GCRA_SHA = createHash("sha1").update(GCRA_SCRIPT).digest("hex");
