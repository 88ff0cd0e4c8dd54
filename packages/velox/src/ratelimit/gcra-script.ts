import { createHash } from "node:crypto";
import type { GcraDecision, GcraRule } from "./gcra.ts";

/**
 * GCRA in one Lua script over any number of buckets, so a request costs at most one script call
 * and two workers can never both spend the last unit. The store sends every decision of one
 * event-loop turn in one call (one `TIME`, one reply); with a single bucket it is the classic
 * one-call-per-request limiter. Buckets are decided in order, so two requests for the same key in
 * one call see each other: a key is read once and written once per call, however many of the
 * call's requests it counts (a busy client's burst costs one GET and one SET). The clock is
 * Redis's own `TIME`: workers on machines with skewed clocks still share one timeline.
 *
 * The arithmetic is on whole microseconds (exact in Lua's doubles, as in {@link gcra}); a bucket
 * stores its time in milliseconds with three decimals, the format the previous script stored and
 * reads, so both can share a Redis during a rolling deploy.
 *
 * KEYS = the buckets; ARGV = interval µs, burst µs, cost, three per bucket. Answers four integers
 * per bucket: allowed (1, 0, or -1 when the bucket holds something that is not ours, e.g. a list:
 * that bucket fails alone), remaining, reset µs, retry-after µs.
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tats = {}
local changed = {}
local out = {}
local n = 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local tat = tats[key]
  if tat == nil then
    local stored = redis.pcall('GET', key)
    if type(stored) == 'table' then
      tat = false
    else
      tat = tonumber(stored)
      if tat then tat = math.floor(tat * 1000 + 0.5) else tat = 0 end
    end
    tats[key] = tat
  end
  if tat == false then
    out[n + 1] = -1; out[n + 2] = 0; out[n + 3] = 0; out[n + 4] = 0
  else
    local a = i * 3
    local interval = tonumber(ARGV[a - 2])
    local burst = tonumber(ARGV[a - 1])
    local cost = tonumber(ARGV[a])
    if tat < now then tat = now end
    local nxt = tat + interval * cost
    local allow_at = nxt - burst
    if allow_at > now then
      out[n + 1] = 0; out[n + 2] = 0; out[n + 3] = tat - now; out[n + 4] = allow_at - now
    else
      if not changed[key] then changed[key] = true; changed[#changed + 1] = key end
      tats[key] = nxt
      out[n + 1] = 1; out[n + 2] = math.floor((burst - (nxt - now)) / interval); out[n + 3] = nxt - now; out[n + 4] = 0
    end
  end
  n = n + 4
end
for j = 1, #changed do
  local key = changed[j]
  local tat = tats[key]
  redis.call('SET', key, string.format('%.3f', tat / 1000), 'PX', math.max(1, math.ceil((tat - now) / 1000)))
end
return out
`;

/** The script's SHA-1, as EVALSHA wants it. */
export const GCRA_SHA = createHash("sha1").update(GCRA_SCRIPT).digest("hex");

/** Integers per bucket in the script's reply. */
export const REPLY_WIDTH = 4;

/** The script's three arguments of one bucket, as strings; once per rule for the usual cost of 1. */
export type ScriptArgs = readonly [intervalUs: string, burstUs: string, cost: string];

const argsByRule = new WeakMap<GcraRule, ScriptArgs>();

/**
 * The script's arguments for `rule` and `cost` (formatted once per rule when `cost` is 1).
 *
 * @example
 * ```ts
 * scriptArgs(gcraRule(10, 1_000), 1); // ["100000", "1000000", "1"]
 * ```
 */
export function scriptArgs(rule: GcraRule, cost: number): ScriptArgs {
  let args = cost === 1 ? argsByRule.get(rule) : undefined;
  if (args === undefined) {
    args = [String(rule.intervalUs), String(rule.burstUs), String(cost)];
    if (cost === 1) argsByRule.set(rule, args);
  }
  return args;
}

const WRONG_VALUE = "rate-limit store: the bucket holds a value that is not a GCRA time (another program's key?)";

/**
 * The decision at `index` of the script's reply (four integers per bucket); throws for a bucket
 * answered -1 (not ours).
 *
 * @example
 * ```ts
 * decisionAt([1, 9, 6_000_000, 0], 0); // { allowed: true, remaining: 9, resetMs: 6000, retryAfterMs: 0, tat: 0 }
 * ```
 */
export function decisionAt(reply: readonly unknown[], index: number): GcraDecision {
  const at = index * REPLY_WIDTH;
  const allowed = Number(reply[at]);
  if (allowed === -1) throw new Error(WRONG_VALUE);
  return { allowed: allowed === 1, tat: 0, remaining: Number(reply[at + 1]), resetMs: Number(reply[at + 2]) / 1000, retryAfterMs: Number(reply[at + 3]) / 1000 };
}
