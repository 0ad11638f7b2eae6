// Lua source of the first chunk a sandbox state runs. It receives the host function, the abort
// sentinel (a light userdata no script can forge), a blob with the configuration and the gate's
// owner (the closure whose upvalues gated chunks share: host(OP_JOIN, fn, owner)), and builds
// the internal table I that the other trusted chunks share. I is never stored where a script
// can reach it: the chunks keep what they need in locals and upvalues.
//
// The blob format (shared with value_codec.ts) is a tagged encoding:
//   0 nil | 1 false | 2 true | 3 integer (<i8) | 4 float (<d) | 5 string (<s4)
//   6 table: <I4 pair count, then key, value, key, value...
export const BOOTSTRAP_LUA = String.raw`
local host, ABORT, config, gate_owner = ...
local byte, unpack, pack, s_len = string.byte, string.unpack, string.pack, string.len
local type, pairs, next, error, tostring = type, pairs, next, error, tostring
local math_type, t_concat = math.type, table.concat

local I = { host = host, ABORT = ABORT, gate_owner = gate_owner }

local function decode_at(b, pos)
  local tag = byte(b, pos)
  pos = pos + 1
  if tag == 5 then return unpack('<s4', b, pos)
  elseif tag == 3 then return unpack('<i8', b, pos)
  elseif tag == 6 then
    local n
    n, pos = unpack('<I4', b, pos)
    local t = {}
    for _ = 1, n do
      local k, v
      k, pos = decode_at(b, pos)
      v, pos = decode_at(b, pos)
      if k ~= nil then t[k] = v end
    end
    return t, pos
  elseif tag == 4 then return unpack('<d', b, pos)
  elseif tag == 2 then return true, pos
  elseif tag == 1 then return false, pos
  end
  return nil, pos
end

function I.decode(b)
  if b == nil then return nil end
  return (decode_at(b, 1))
end

-- Lua value -> blob, for host call arguments. Functions, threads and userdata travel as nil;
-- cycles and depth beyond 32 are errors.
local MAX_DEPTH = 32
local function encode_into(out, v, depth, seen)
  local t = type(v)
  if t == 'string' then out[#out + 1] = pack('<Bs4', 5, v)
  elseif t == 'number' then
    if math_type(v) == 'integer' then out[#out + 1] = pack('<Bi8', 3, v)
    else out[#out + 1] = pack('<Bd', 4, v) end
  elseif t == 'boolean' then out[#out + 1] = v and '\2' or '\1'
  elseif t == 'table' then
    if seen[v] then error('cannot pass a table with cycles to the host', 0) end
    if depth > MAX_DEPTH then error('table nested too deeply for the host', 0) end
    seen[v] = true
    local count, at = 0, #out + 1
    out[at] = ''
    for k, val in next, v do
      local kt = type(k)
      if kt == 'string' or kt == 'number' then
        encode_into(out, k, depth + 1, seen)
        encode_into(out, val, depth + 1, seen)
        count = count + 1
      end
    end
    out[at] = pack('<BI4', 6, count)
    seen[v] = nil
  else out[#out + 1] = '\0' end
end

function I.encode(v)
  local out = {}
  encode_into(out, v, 0, {})
  return t_concat(out)
end

local cfg = I.decode(config)
I.modules = cfg.modules
I.host_modules = cfg.host_modules
I.constants = cfg.constants
return I
`;
