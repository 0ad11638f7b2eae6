// Lua source: the flow.* API (document 001, ntopng's src/LuaEngineFlow.cpp), the Flow User
// Scripts API (document 002) and the entry points the host calls. Runs after the lockdown.
//
// The hot path: the host calls dispatch(ports, misc, c2s_bytes, s2c_bytes, protos, cli, srv,
// proto_name, now, slots) with values pushed through the C API, and the getters return those
// upvalues: no call back into the host. The one-expression getters (FLOW_GETTERS) are also
// written into scripts in place of their calls (inline.ts), reading these same locals. Small
// numbers come packed, as floats (the C API pushes no integer without a BigInt):
// ports = cli_port << 16 | srv_port, protos = master << 16 | app,
// misc = l4 | vlan << 8 | flags << 20 | hook << 28 | name_id << 30. The getters unpack them with
// bitwise operators, which also turn them into integers, so a run pays only for the values its
// script reads. The protocol name is kept by number (name_id, flow_view.ts NamePool): the host
// sends a name the first time and nil after, and 0 is a name sent every time (not pooled).
// IPv4 addresses are kept in slots (sandbox.ts #addressKeys mirrors them): slots = (cli_slot <<
// ADDRESS_SLOT_BITS) | srv_slot, 1-based, 0 for an IPv6 address; cli and srv are the texts when the
// host sent them (an IPv6 one, or a slot's new address), nil when the slot holds the address.
// Everything else (metadata tables, the full Flow::lua table, the status bitmap) is fetched
// from the host on first use in a run, with one host call each, and cached for the rest of it.
//
// Every instruction counts: dispatch does the least it can. It resets the gate (gate.ts: runs
// start without the count hook), stores the values, calls the script's entry directly and
// returns at once unless the run recorded something ('dirty': an event, an alert, a fetched
// table) or printed. This chunk is gated for its loops only, so the getters cost no gate.
//
// What a run produced comes back as dispatch's return values, a flat list of events:
//   1 alert: score, msg                      (flow.triggerAlert; one per run, the last wins)
//   2 set status: key, flow, cli, srv scores (flow.setStatus)
//   3 clear status: key                      (flow.clearStatus)
//   4 trigger status: key, info, flow, cli, srv scores (flow.triggerStatus)
//   5 log: text                              (print, io.write)
// When the script raises an error the host calls drain() for the events recorded before it.
import { GATE_BUDGET } from '../gate.ts';
import { HOST_OP } from './host_ops.ts';
import * as FLAG from '../flow_view.ts';

/** IPv4 address slots per Lua state (2^12), and the bits of each half of dispatch's slots. */
export const ADDRESS_SLOTS_LOG2 = 12;
export const ADDRESS_SLOT_BITS = ADDRESS_SLOTS_LOG2 + 1;
const SLOT_MASK = `0x${((1 << ADDRESS_SLOT_BITS) - 1).toString(16)}`;
/** Alert messages the host keeps by address (sandbox.ts #messageAt): 2^8 slots per Lua state. */
export const MESSAGE_SLOTS_LOG2 = 8;

// The flags of misc (bits 20..27): flow_view.ts F_*, shifted.
const F_CLI_LOCAL = FLAG.F_CLI_LOCAL << 20, F_SRV_LOCAL = FLAG.F_SRV_LOCAL << 20, F_CLI_MULTI = FLAG.F_CLI_MULTI << 20;
const F_SRV_MULTI = FLAG.F_SRV_MULTI << 20, F_ONEWAY = FLAG.F_ONEWAY << 20, F_TWH_OK = FLAG.F_TWH_OK << 20;
const F_BIDIR = FLAG.F_BIDIR << 20, F_BLACKLISTED = FLAG.F_BLACKLISTED << 20;
const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * The getters whose value is one expression over the current flow's values: the chunk below
 * defines them from these, and inline.ts writes the same expression in place of a script's call.
 * Each `$name` is a local of the chunk: `name` in the getter, `__flowscope_name` in a script (an
 * upvalue the sandbox joins to the chunk's). Each gives one value, nil or false without a flow.
 */
export const FLOW_GETTERS: Readonly<Record<string, string>> = (() => {
  const has = (value: string) => `$has_flow and ${value} or nil`;
  const flag = (test: string) => `$has_flow and ${test}`;
  const bytes = has('($c2s + $s2c) | 0'), sent = has('$c2s | 0'), rcvd = has('$s2c | 0');
  const master = has('$protos >> 16'), app = has('$protos & 0xffff'), name = has('$names[$misc >> 30]');
  const unicast = flag(`$misc & ${hex(F_CLI_MULTI | F_SRV_MULTI)} == 0`);
  const locality = (bits: number) => flag(`$misc & ${hex(F_CLI_LOCAL | F_SRV_LOCAL)} == ${hex(bits)}`);
  return {
    // document 001
    cli: `$cli or $addrs[$slots >> ${ADDRESS_SLOT_BITS}]`,
    cli_port: has('$ports >> 16'),
    srv: `$srv or $addrs[$slots & ${SLOT_MASK}]`,
    srv_port: has('$ports & 0xffff'),
    vlan_id: has('($misc >> 8) & 0xfff'),
    protocol: has('$misc & 0xff'),
    bytes,
    cli2srv_bytes: sent,
    srv2cli_bytes: rcvd,
    l7_master_proto: master,
    l7_proto: app,
    l7_proto_name: name,
    is_oneway: flag(`$misc & ${hex(F_ONEWAY)} ~= 0`),
    is_unicast: unicast,
    // document 002
    isClientUnicast: flag(`$misc & ${hex(F_CLI_MULTI)} == 0`),
    isServerUnicast: flag(`$misc & ${hex(F_SRV_MULTI)} == 0`),
    isUnicast: unicast,
    isRemoteToRemote: locality(0),
    isLocalToRemote: locality(F_CLI_LOCAL),
    isRemoteToLocal: locality(F_SRV_LOCAL),
    isLocal: locality(F_CLI_LOCAL | F_SRV_LOCAL),
    isBlacklisted: flag(`$misc & ${hex(F_BLACKLISTED)} ~= 0`),
    isTwhOK: flag(`$misc & ${hex(F_TWH_OK)} ~= 0`),
    isBidirectional: flag(`$misc & ${hex(F_BIDIR)} ~= 0`),
    getBytesSent: sent,
    getBytesRcvd: rcvd,
    getBytes: bytes,
    getnDPIProtocolName: name,
    getnDPIMasterProtoId: master,
    getnDPIAppProtoId: app,
  };
})();

/** A FLOW_GETTERS expression with its upvalues named `prefix + name`. */
export function getterExpression(template: string, prefix: string): string {
  return template.replace(/\$([A-Za-z0-9_]+)/g, (_, name: string) => prefix + name);
}

const GETTER_DEFINITIONS = Object.entries(FLOW_GETTERS)
  .map(([name, template]) => `function flow.${name}() return ${getterExpression(template, '')} end`)
  .join('\n');

export const FLOW_API_LUA = String.raw`
local I = ...
local GATE_BUDGET = ${GATE_BUDGET}
local OP_JOIN = ${HOST_OP.JOIN}
local host, decode, encode, ABORT = I.host, I.decode, I.encode, I.ABORT
local OP_TRACEBACK, OP_FLOW_META, OP_FLOW_INFO, OP_FLOW_STATUS = ${HOST_OP.TRACEBACK}, ${HOST_OP.FLOW_META}, ${HOST_OP.FLOW_INFO}, ${HOST_OP.FLOW_STATUS}
local EV_ALERT, EV_SET_STATUS, EV_CLEAR_STATUS, EV_TRIGGER_STATUS, EV_LOG = 1, 2, 3, 4, 5
local type, tostring, tonumber, error, pairs, next, select, rawequal = type, tostring, tonumber, error, pairs, next, select, rawequal
local setmetatable, getmetatable, t_unpack, tointeger, floor = setmetatable, getmetatable, table.unpack, math.tointeger, math.floor
local require = require
local log_take, log_reset = I.log_take, I.log_reset
local raw_unpack = I.raw_unpack

-- ---------------------------------------------------------------- the current flow
local has_flow = false
local ports, misc, c2s, s2c, protos, cli, srv, now
-- Protocol names by name_id (misc >> 30), IPv4 address texts by slot.
local names, addrs = {}, {}
local slots = 0
local meta_cache, info_cache, status_cache, score_delta
local alert_score, alert_msg
local events, nevents = {}, 0
-- Something to report or reset at the end of the run (see dispatch).
local dirty = false

-- direction()'s flags of misc (FLOW_GETTERS has the others).
local F_CLI_LOCAL, F_SRV_LOCAL = ${F_CLI_LOCAL}, ${F_SRV_LOCAL}

local function push_event(...)
  local n = select('#', ...)
  for i = 1, n do events[nevents + i] = (select(i, ...)) end
  nevents = nevents + n
  dirty = true
end

local function host_value(op, ...)
  local blob, err = host(op, ...)
  if blob == nil and err ~= nil then error(err, 3) end
  return decode(blob)
end

local function meta()
  if meta_cache == nil then
    dirty = true
    meta_cache = host_value(OP_FLOW_META) or {}
  end
  return meta_cache
end
local function info()
  if info_cache == nil then
    dirty = true
    info_cache = host_value(OP_FLOW_INFO) or {}
  end
  return info_cache
end
local function status()
  if status_cache == nil then
    dirty = true
    local st = host_value(OP_FLOW_STATUS) or {}
    status_cache = {}
    for _, id in pairs(st.ids or {}) do status_cache[id] = true end
    score_delta = st.score or 0
  end
  return status_cache
end

local function copy(t)
  local c = {}
  for k, v in next, t do c[k] = v end
  return c
end

flow = {}
local flow = flow

-- ------------------------------------------- document 001: the 20 functions
-- The one-expression getters of both documents (FLOW_GETTERS), then the others.
${GETTER_DEFINITIONS}

function flow.direction()
  if not has_flow then return nil end
  local cl, sl = misc & F_CLI_LOCAL ~= 0, misc & F_SRV_LOCAL ~= 0
  if not cl and not sl then return 'remote2remote' end
  if cl and sl then return 'local@local' end
  if cl then return 'local@remote' end
  return 'remote@local'
end

function flow.http() if has_flow then return copy(meta().http) end end
function flow.dns() if has_flow then return copy(meta().dns) end end
function flow.ssh() if has_flow then return copy(meta().ssh) end end
function flow.tls_quic() if has_flow then return copy(meta().tls) end end

function flow.triggerAlert(score, msg)
  if not has_flow then return end
  alert_score = tonumber(score) or 0
  if msg == nil then alert_msg = '' else alert_msg = tostring(msg) end
  dirty = true
end

-- ------------------------------------------- document 002: Flow User Scripts API
local function status_key(st, fname)
  local t = type(st)
  if t == 'table' then
    local key = st.status_key or st.status_id or st.alert_id or st.alert_key
    if type(key) == 'number' then return key end
  elseif t == 'number' then
    return st
  end
  error("bad argument #1 to '" .. fname .. "' (a flow_consts.status_types entry expected)", 3)
end

local function int_or(v, default)
  v = tonumber(v)
  if v == nil then return default end
  return tointeger(floor(v)) or default
end

function flow.getStatus()
  if not has_flow then return nil end
  local bitmap = 0
  for id in pairs(status()) do
    if id >= 0 and id < 64 then bitmap = bitmap | (1 << id) end
  end
  return bitmap
end

function flow.isStatusSet(key)
  if not has_flow then return nil end
  key = tonumber(key)
  return key ~= nil and status()[key] == true
end

function flow.setStatus(st, flow_score, cli_score, srv_score)
  if not has_flow then return nil end
  local key = status_key(st, 'setStatus')
  local set = status()
  if set[key] then return false end
  set[key] = true
  flow_score = int_or(flow_score, 0)
  score_delta = score_delta + flow_score
  push_event(EV_SET_STATUS, key, flow_score, int_or(cli_score, 0), int_or(srv_score, 0))
  return true
end

function flow.clearStatus(st)
  if not has_flow then return nil end
  local key = status_key(st, 'clearStatus')
  local set = status()
  if set[key] then
    set[key] = nil
    push_event(EV_CLEAR_STATUS, key)
  end
end

function flow.triggerStatus(st, status_info, flow_score, cli_score, srv_score)
  if not has_flow then return nil end
  local key = status_key(st, 'triggerStatus')
  local set = status()
  local info_text
  if type(status_info) == 'table' then
    local ok, json = I.pcall(require('dkjson').encode, status_info)
    info_text = ok and json or tostring(status_info)
  elseif status_info ~= nil then
    info_text = tostring(status_info)
  else
    info_text = ''
  end
  flow_score = int_or(flow_score, 0)
  if not set[key] then
    set[key] = true
    score_delta = score_delta + flow_score
  end
  push_event(EV_TRIGGER_STATUS, key, info_text, flow_score, int_or(cli_score, 0), int_or(srv_score, 0))
  return true
end

function flow.getFullInfo() if has_flow then return info() end end
function flow.getInfo() if has_flow then return info() end end
function flow.isPassVerdict() if has_flow then return true end end

local function info_field(key, default)
  if not has_flow then return nil end
  local v = info()[key]
  if v == nil then return default end
  return v
end
function flow.getKey() return info_field('ntopng.key') end
function flow.getHashEntryId() return info_field('hash_entry_id') end
function flow.getFirstSeen() return info_field('seen.first') end
function flow.getLastSeen() return info_field('seen.last') end
function flow.getDuration()
  if not has_flow then return nil end
  local t = info()
  return t['seen.last'] - t['seen.first']
end
function flow.getPacketsSent() return info_field('cli2srv.packets') end
function flow.getPacketsRcvd() return info_field('srv2cli.packets') end
function flow.getPackets() return info_field('packets') end
function flow.getGoodputBytes() return info_field('goodput_bytes') end
function flow.getClientKey() return info_field('cli.key') end
function flow.getServerKey() return info_field('srv.key') end
function flow.getnDPICategoryName() return info_field('proto.ndpi_cat') end
function flow.getnDPICategoryId() return info_field('proto.ndpi_cat_id') end
function flow.getDnsQuery()
  if not has_flow then return nil end
  return meta().dns['protos.dns.last_query'] or ''
end
function flow.getClientCountry() return nil end
function flow.getServerCountry() return nil end
function flow.getTLSVersion()
  if not has_flow then return nil end
  return meta().tls['protos.tls_version'] or 0
end
function flow.getnDPIMatchPacket() return nil end
function flow.getScore()
  if not has_flow then return nil end
  status()
  return score_delta
end

-- ------------------------------------------- entry points
local HOOK_NAMES = { 'protocolDetected', 'periodicUpdate', 'flowEnd' }
local CONF = {}
local chunk, mode, module_tbl
local proxy = setmetatable({}, {
  __index = function(_, k) if has_flow then return info()[k] end end,
  __pairs = function() return next, has_flow and info() or {}, nil end,
  __metatable = false,
})

-- What dispatch calls, by the script's shape: the chunk itself (re-run per flow), the module's
-- check(), the hook of the run, or, before the first run, first_run.
local entry
local function check_entry() return module_tbl.check(proxy) end
local function hooks_entry()
  local fn = module_tbl.hooks[HOOK_NAMES[(misc >> 28) & 3]]
  if fn ~= nil then return fn(now | 0, CONF, proxy) end
end

local function classify(r)
  if type(r) == 'table' and type(r.check) == 'function' then
    mode, module_tbl, entry = 'module', r, check_entry
  elseif type(r) == 'table' and type(r.hooks) == 'table' then
    mode, module_tbl, entry = 'hooks', r, hooks_entry
  else
    mode, entry = 'chunk', chunk
  end
end

-- The first run of a script not initialised: its result tells its shape; a module is then
-- called for this same flow.
local function first_run()
  classify(chunk())
  if mode ~= 'chunk' then return entry() end
end

-- Events recorded so far (the pending alert, the log), then a clean slate.
local log = I.log
local function epilogue()
  dirty = false
  meta_cache, info_cache, status_cache = nil, nil, nil
  if nevents == 0 and log[1] == nil then
    if alert_score == nil then return end
    local score, msg = alert_score, alert_msg
    alert_score, alert_msg = nil, nil
    return EV_ALERT, score, msg
  end
  if alert_score ~= nil then
    push_event(EV_ALERT, alert_score, alert_msg)
    alert_score, alert_msg = nil, nil
  end
  local text = log_take()
  if text ~= nil then push_event(EV_LOG, text) end
  local n = nevents
  nevents = 0
  return raw_unpack(events, 1, n)
end

-- One statement per value: a multiple assignment would copy them through registers first.
local function dispatch(p, m, a, b, pr, s1, s2, s3, t, sl)
  if s3 ~= nil then names[m >> 30] = s3 end
  if s1 ~= nil and sl > ${SLOT_MASK} then addrs[sl >> ${ADDRESS_SLOT_BITS}] = s1 end
  if s2 ~= nil and sl & ${SLOT_MASK} ~= 0 then addrs[sl & ${SLOT_MASK}] = s2 end
  __flowscope_n = GATE_BUDGET
  ports = p
  misc = m
  c2s = a
  s2c = b
  protos = pr
  cli = s1
  srv = s2
  now = t
  slots = sl
  has_flow = true
  entry()
  if dirty or log[1] ~= nil then return epilogue() end
end

local function drain()
  __flowscope_n = GATE_BUDGET
  return epilogue()
end

-- Message handler: the error with a traceback of the script's frames (the host trims ours).
local function msgh(e)
  if rawequal(e, ABORT) then return e end
  local msg
  if type(e) == 'string' or type(e) == 'number' then
    msg = tostring(e)
  else
    local mt = getmetatable(e)
    if mt ~= nil and type(mt) == 'table' and mt.__tostring ~= nil then msg = tostring(e)
    else msg = '(error object is a ' .. type(e) .. ' value)' end
  end
  return host(OP_TRACEBACK, msg) or msg
end

-- A script: compiled now, run per flow (plain chunk) or once then called (module). The source as
-- written gives the syntax errors; its gated form (gate.ts), when given and compiled, is what runs.
-- Returns the error, or nil and whether the script runs ungated.
local function compile(source, gated, name)
  local fn, err = I.load(source, '@' .. name, 't', _ENV)
  if fn == nil then return err end
  local ungated = true
  if gated ~= nil then
    local wrapper = I.load(gated, '@' .. name, 't', _ENV)
    if wrapper ~= nil then
      fn = wrapper()
      local join_error = host(OP_JOIN, fn, I.gate_owner, dispatch)
      if join_error ~= nil then return join_error end
      ungated = false
    end
  end
  chunk, mode, module_tbl, entry = fn, nil, nil, first_run
  return nil, ungated
end

-- User scripts (a module with hooks) are run once at load, with no flow bound.
local function init()
  __flowscope_n = GATE_BUDGET
  has_flow = false
  cli, srv, ports, misc, c2s, s2c, protos, now = nil
  slots = 0
  classify(chunk())
  local hooks = {}
  if mode == 'module' then hooks[1] = 1
  elseif mode == 'hooks' then
    for i, name in pairs(HOOK_NAMES) do
      if type(module_tbl.hooks[name]) == 'function' then hooks[#hooks + 1] = i end
    end
  else hooks[1] = 1 end
  return mode, log_take() or '', t_unpack(hooks)
end

-- The script's shape once known: 'chunk', 'module', 'hooks', or 'pending' before its first run.
local function get_mode()
  return mode or 'pending'
end

-- The alert messages the host has read, by its slot (sandbox.ts #messageAt): held here, a
-- message keeps its address, so the host knows it by address, and the script's next alert with
-- the same text finds it interned instead of allocating it again. Filled now so that the host's
-- stores (lua_rawset, outside any protected call) land in the array part and never allocate.
local anchors = {}
for i = 1, ${1 << MESSAGE_SLOTS_LOG2} do anchors[i] = false end

return msgh, dispatch, drain, init, compile, get_mode, anchors
`;
