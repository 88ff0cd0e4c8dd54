/**
 * The Redis side of presence, as Lua scripts so each change is atomic across processes.
 *
 * Keys under the adapter's prefix `p`:
 * - `p:room:<room>`  hash   member (`<instance>:<connection>`) → user
 * - `p:users:<room>` hash   user → number of that user's connections in the room
 * - `p:rooms`        set    rooms with at least one member
 * - `p:inst:<id>`    set    rooms an instance has (or had) members in, for reaping it
 * - `p:instances`    zset   instance → last heartbeat (ms); older than the TTL means dead
 *
 * @example
 * ```ts
 * redis.defineCommand("veloxJoin", { numberOfKeys: 4, lua: JOIN });
 * ```
 */

/** KEYS room, users, rooms, inst; ARGV member, user, room → { first (0|1), distinct users }. */
export const JOIN = `
local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
local first = 0
if added == 1 then
  if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then first = 1 end
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('SADD', KEYS[4], ARGV[3])
end
return { first, redis.call('HLEN', KEYS[2]) }
`;

/** KEYS room, users, rooms; ARGV member, room → { last (0|1), distinct users, user or false }. */
export const LEAVE = `
local user = redis.call('HGET', KEYS[1], ARGV[1])
if not user then return { 0, redis.call('HLEN', KEYS[2]), false } end
redis.call('HDEL', KEYS[1], ARGV[1])
local last = 0
if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
  redis.call('HDEL', KEYS[2], user)
  last = 1
end
local count = redis.call('HLEN', KEYS[2])
if count == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
return { last, count, user }
`;

/**
 * ARGV prefix, dead instance id → flat list of room, user, count for each user who left a room
 * because the instance died. Idempotent: a second run finds nothing.
 */
export const REAP = `
local p, id = ARGV[1], ARGV[2]
local mine = id .. ':'
local out = {}
for _, room in ipairs(redis.call('SMEMBERS', p .. ':inst:' .. id)) do
  local hash, users = p .. ':room:' .. room, p .. ':users:' .. room
  local all = redis.call('HGETALL', hash)
  for i = 1, #all, 2 do
    local member, user = all[i], all[i + 1]
    if string.sub(member, 1, #mine) == mine then
      redis.call('HDEL', hash, member)
      if redis.call('HINCRBY', users, user, -1) <= 0 then
        redis.call('HDEL', users, user)
        table.insert(out, room)
        table.insert(out, user)
        table.insert(out, redis.call('HLEN', users))
      end
    end
  end
  if redis.call('HLEN', users) == 0 then redis.call('SREM', p .. ':rooms', room) end
end
redis.call('DEL', p .. ':inst:' .. id)
redis.call('ZREM', p .. ':instances', id)
return out
`;

/** ARGV prefix → flat list of room, distinct users for every room with members. */
export const ROOMS = `
local p = ARGV[1]
local out = {}
for _, room in ipairs(redis.call('SMEMBERS', p .. ':rooms')) do
  table.insert(out, room)
  table.insert(out, redis.call('HLEN', p .. ':users:' .. room))
end
return out
`;
