// The Lua modules require() can load in the sandbox, as sources: flow_consts (alert and status
// types with ntopng's keys), dkjson (also as "json"), lua_utils (the common helpers ntopng's
// scripts use), alert_severities. Written for flowscope; names and shapes follow ntopng.
import { FLOW_ALERT_TYPES, SCORE_LEVELS, SCORE_MAX_VALUE, SEVERITY_IDS } from '../../alerts.ts';

/**
 * Status names of ntopng 4.x (flow_consts.status_types, the Flow User Scripts era) whose key is
 * not simply status_ + the current alert name without flow_alert_.
 */
const LEGACY_STATUS_KEYS: Record<string, number> = {
  status_normal: 0, status_external_alert: 10, status_malicious_signature: 13, status_potentially_dangerous: 15,
  status_suspicious_tcp_probing: 17, status_suspicious_tcp_syn_probing: 18, status_tcp_connection_issues: 19,
  status_tcp_connection_refused: 20, status_tcp_severe_connection_issues: 21, status_tls_certificate_expired: 22,
  status_tls_certificate_mismatch: 23, status_tls_old_protocol_version: 24, status_tls_unsafe_ciphers: 25,
  status_udp_unidirectional: 26, status_web_mining: 27, status_tls_certificate_selfsigned: 28,
  status_suspicious_file_transfer: 29, status_known_proto_on_non_std_port: 30, status_flow_risk: 31,
  status_unexpected_dhcp: 32, status_unexpected_dns: 33, status_unexpected_smtp: 34, status_unexpected_ntp: 35,
  status_ndpi_http_numeric_ip_host: 43, status_ndpi_ssh_obsolete: 49, status_ndpi_tls_suspicious_esni_usage: 51,
};

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function flowConstsSource(): string {
  const types = Object.entries(FLOW_ALERT_TYPES).map(([name, id]) => `  { ${luaString(name.replace(/^flow_alert_/, ''))}, ${id} },`).join('\n');
  const legacy = Object.entries(LEGACY_STATUS_KEYS).map(([name, id]) => `  ${name} = ${id},`).join('\n');
  const severities = Object.entries(SEVERITY_IDS).map(([name, id]) => `  ${name} = { severity_id = ${id}, label = ${luaString(name)}, i18n_title = ${luaString(`alerts_dashboard.${name}`)} },`).join('\n');
  return String.raw`-- flow_consts for the flowscope sandbox: ntopng's flow alert/status types with their keys.
local flow_consts = {}

local severities = {
${severities}
}
flow_consts.alert_severities = severities

local function severity_for(score)
  if score < ${SCORE_LEVELS.info} then return severities.none end
  if score < ${SCORE_LEVELS.notice} then return severities.info end
  if score < ${SCORE_LEVELS.warning} then return severities.notice end
  if score < ${SCORE_LEVELS.error} then return severities.warning end
  if score < ${SCORE_LEVELS.critical} then return severities.error end
  if score < ${SCORE_LEVELS.emergency} then return severities.critical end
  return severities.emergency
end

-- The highest score one alert gives a flow or host (SCORE_MAX_VALUE).
flow_consts.max_score = ${SCORE_MAX_VALUE}

-- alert_types: one entry per flow alert type, keyed alert_<name>, with ntopng's alert_key.
-- flow_score is the default score of the custom script alert (flow_alert_custom_lua_script,
-- SCORE_LEVEL_ERROR): document 001's boilerplate passes flow_consts.alert_types.flow_score to
-- flow.triggerAlert(score, msg) as the score.
flow_consts.alert_types = { flow_score = ${SCORE_LEVELS.error} }
flow_consts.status_types = {}
local by_key = {}

local function make_status(name, key)
  local status = {
    status_key = key, status_id = key, alert_key = key, name = name,
    i18n_title = 'alerts_dashboard.' .. name,
    alert_severity = severities.warning,
  }
  function status.create(...)
    return { status_key = key, status_id = key, alert_key = key, name = name, alert_type_params = { ... } }
  end
  return status
end

for _, entry in ipairs({
${types}
}) do
  local name, key = entry[1], entry[2]
  local alert = { alert_key = key, alert_id = key, name = name, i18n_title = 'alerts_dashboard.' .. name }
  flow_consts.alert_types['alert_' .. name] = alert
  local status = make_status(name, key)
  flow_consts.status_types['status_' .. name] = status
  by_key[key] = status
end
for name, key in pairs({
${legacy}
}) do
  if flow_consts.status_types[name] == nil then
    local status = by_key[key] or make_status(name:gsub('^status_', ''), key)
    flow_consts.status_types[name] = status
    by_key[key] = by_key[key] or status
  end
end
flow_consts.status_types.status_custom_lua_script.alert_severity = severities.error

function flow_consts.getStatusType(key) return by_key[key] end
function flow_consts.getStatusInfo(key) return by_key[key] end
function flow_consts.getStatusTitle(key)
  local status = by_key[key]
  return status and status.name or tostring(key)
end
function flow_consts.getStatusSeverity(score) return severity_for(score) end

return flow_consts
`;
}

/** dkjson's interface (encode, decode, null, use_lpeg...) in plain Lua. */
const DKJSON = String.raw`-- JSON for the flowscope sandbox, with dkjson's interface: json.encode(value [, state]),
-- json.decode(text [, pos [, nullval]]) -> value, next_pos | nil, pos, message; json.null.
local json = { version = 'dkjson 2.5 (flowscope)' }
local type, pairs, tostring, tonumber, error, select = type, pairs, tostring, tonumber, error, select
local s_format, s_byte, s_char, s_sub, s_find, s_gsub = string.format, string.byte, string.char, string.sub, string.find, string.gsub
local t_concat, t_sort, math_type, floor, huge = table.concat, table.sort, math.type, math.floor, math.huge
local utf8_char = utf8.char

json.null = setmetatable({}, { __tojson = function() return 'null' end, __tostring = function() return 'null' end })

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function quote(s)
  return '"' .. s_gsub(s, '[%c"\\]', function(c)
    return escapes[c] or s_format('\\u%04x', s_byte(c))
  end) .. '"'
end
json.quotestring = quote

local function is_array(t)
  local max, n = 0, 0
  for k in pairs(t) do
    if math_type(k) ~= 'integer' or k < 1 then return false end
    if k > max then max = k end
    n = n + 1
  end
  if max > 10 and max > n * 2 then return false end
  return true, max
end

local function encode(v, out, indent, level, seen, state)
  local t = type(v)
  if v == nil or v == json.null then out[#out + 1] = 'null'
  elseif t == 'boolean' then out[#out + 1] = v and 'true' or 'false'
  elseif t == 'number' then
    if v ~= v or v == huge or v == -huge then out[#out + 1] = 'null'
    elseif math_type(v) == 'integer' then out[#out + 1] = tostring(v)
    else
      local s = s_format('%.17g', v)
      if tonumber(s_format('%.14g', v)) == v then s = s_format('%.14g', v) end
      out[#out + 1] = s
    end
  elseif t == 'string' then out[#out + 1] = quote(v)
  elseif t == 'table' then
    local mt = getmetatable(v)
    if mt and mt.__tojson then out[#out + 1] = tostring(mt.__tojson(v, state)) return end
    if seen[v] then error('reference cycle', 0) end
    seen[v] = true
    local pad = indent and ('\n' .. string.rep('  ', level + 1)) or ''
    local close_pad = indent and ('\n' .. string.rep('  ', level)) or ''
    local arr, n = is_array(v)
    if arr then
      out[#out + 1] = '['
      for i = 1, n do
        if i > 1 then out[#out + 1] = ',' end
        out[#out + 1] = pad
        encode(v[i], out, indent, level + 1, seen, state)
      end
      if n > 0 then out[#out + 1] = close_pad end
      out[#out + 1] = ']'
    else
      local keys = {}
      for k in pairs(v) do
        local kt = type(k)
        if kt == 'string' or kt == 'number' then keys[#keys + 1] = k end
      end
      t_sort(keys, function(a, b) return tostring(a) < tostring(b) end)
      out[#out + 1] = '{'
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = ',' end
        out[#out + 1] = pad
        out[#out + 1] = quote(tostring(k))
        out[#out + 1] = indent and ': ' or ':'
        encode(v[k], out, indent, level + 1, seen, state)
      end
      if #keys > 0 then out[#out + 1] = close_pad end
      out[#out + 1] = '}'
    end
    seen[v] = nil
  else
    if state and state.exception then
      out[#out + 1] = tostring(state.exception('unsupported type', v, state, 'type ' .. t .. ' is not supported by JSON'))
    else
      error('type ' .. t .. ' is not supported by JSON', 0)
    end
  end
end

function json.encode(value, state)
  local out = {}
  local ok, err = pcall(encode, value, out, state and state.indent, state and state.level or 0, {}, state)
  if not ok then
    if state then state.error = err return nil, err end
    error(err, 2)
  end
  local text = t_concat(out)
  if state and state.buffer then
    local buf = state.buffer
    buf[(state.bufferlen or #buf) + 1] = text
    state.bufferlen = (state.bufferlen or #buf) + 1
    return true
  end
  return text
end

local function skip(text, pos)
  local _, e = s_find(text, '^[ \n\r\t]*', pos)
  return e + 1
end

local decode_value
local function decode_error(pos, msg) error({ pos = pos, msg = msg }, 0) end

local function decode_string(text, pos)
  local out, i = {}, pos + 1
  while true do
    local c = s_byte(text, i)
    if c == nil then decode_error(pos, 'unterminated string') end
    if c == 34 then return t_concat(out), i + 1 end
    if c == 92 then
      local e = s_sub(text, i + 1, i + 1)
      local simple = ({ ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' })[e]
      if simple then out[#out + 1] = simple; i = i + 2
      elseif e == 'u' then
        local hex = s_sub(text, i + 2, i + 5)
        local code = tonumber(hex, 16)
        if code == nil or #hex ~= 4 then decode_error(i, 'invalid unicode escape') end
        i = i + 6
        if code >= 0xD800 and code <= 0xDBFF and s_sub(text, i, i + 1) == '\\u' then
          local low = tonumber(s_sub(text, i + 2, i + 5), 16)
          if low and low >= 0xDC00 and low <= 0xDFFF then
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            i = i + 6
          end
        end
        out[#out + 1] = utf8_char(code)
      else decode_error(i, 'invalid escape') end
    else
      local j = s_find(text, '["\\]', i)
      if j == nil then decode_error(pos, 'unterminated string') end
      out[#out + 1] = s_sub(text, i, j - 1)
      i = j
    end
  end
end

decode_value = function(text, pos, nullval, depth)
  if depth > 200 then decode_error(pos, 'too deeply nested') end
  pos = skip(text, pos)
  local c = s_sub(text, pos, pos)
  if c == '{' then
    local t = {}
    pos = skip(text, pos + 1)
    if s_sub(text, pos, pos) == '}' then return t, pos + 1 end
    while true do
      pos = skip(text, pos)
      if s_sub(text, pos, pos) ~= '"' then decode_error(pos, 'expected a string key') end
      local k
      k, pos = decode_string(text, pos)
      pos = skip(text, pos)
      if s_sub(text, pos, pos) ~= ':' then decode_error(pos, "expected ':'") end
      local v
      v, pos = decode_value(text, pos + 1, nullval, depth + 1)
      t[k] = v
      pos = skip(text, pos)
      local d = s_sub(text, pos, pos)
      if d == '}' then return t, pos + 1 end
      if d ~= ',' then decode_error(pos, "expected ',' or '}'") end
      pos = pos + 1
    end
  elseif c == '[' then
    local t, n = {}, 0
    pos = skip(text, pos + 1)
    if s_sub(text, pos, pos) == ']' then return t, pos + 1 end
    while true do
      local v
      v, pos = decode_value(text, pos, nullval, depth + 1)
      n = n + 1
      t[n] = v
      pos = skip(text, pos)
      local d = s_sub(text, pos, pos)
      if d == ']' then return t, pos + 1 end
      if d ~= ',' then decode_error(pos, "expected ',' or ']'") end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(text, pos)
  elseif s_sub(text, pos, pos + 3) == 'true' then return true, pos + 4
  elseif s_sub(text, pos, pos + 4) == 'false' then return false, pos + 5
  elseif s_sub(text, pos, pos + 3) == 'null' then return nullval, pos + 4
  else
    local num = text:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
    if num == nil or num == '' then decode_error(pos, 'unexpected character') end
    local v = tonumber(num)
    if v == nil then decode_error(pos, 'invalid number') end
    return v, pos + #num
  end
end

function json.decode(text, pos, nullval)
  if type(text) ~= 'string' then return nil, pos or 1, 'expected a string' end
  local ok, value, next_pos = pcall(decode_value, text, pos or 1, nullval, 0)
  if not ok then
    if type(value) == 'table' then return nil, value.pos, value.msg end
    return nil, pos or 1, tostring(value)
  end
  return value, next_pos
end

function json.use_lpeg() return json end

return json
`;

/** A subset of ntopng's lua_utils.lua: the helpers flow check scripts commonly call. */
const LUA_UTILS = String.raw`-- lua_utils for the flowscope sandbox: ntopng's common helpers (defined as globals, as
-- ntopng's lua_utils does), written for flowscope.
local function tprint_into(out, t, indent, seen)
  indent = indent or 0
  if type(t) ~= 'table' then out[#out + 1] = string.rep(' ', indent) .. tostring(t) return end
  if seen[t] then out[#out + 1] = string.rep(' ', indent) .. '<cycle>' return end
  seen[t] = true
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do
    local v = t[k]
    local prefix = string.rep(' ', indent) .. tostring(k) .. ': '
    if type(v) == 'table' then
      out[#out + 1] = prefix
      tprint_into(out, v, indent + 2, seen)
    else
      out[#out + 1] = prefix .. tostring(v)
    end
  end
  seen[t] = nil
end

function tprint(t, indent)
  local out = {}
  tprint_into(out, t, indent, {})
  io.write(table.concat(out, '\n') .. '\n')
end

function isEmptyString(s) return s == nil or s == '' end
function ternary(cond, a, b) if cond then return a end return b end

function string.starts(s, start) return type(s) == 'string' and string.sub(s, 1, #start) == start end
function string.ends(s, ending) return type(s) == 'string' and (ending == '' or string.sub(s, -#ending) == ending) end
function string.split(s, sep)
  sep = sep or '%s'
  local out = {}
  for piece in string.gmatch(s, '([^' .. sep .. ']+)') do out[#out + 1] = piece end
  return out
end
function split(s, sep) return string.split(s, sep) end
function string.trim(s) return (string.gsub(s, '^%s*(.-)%s*$', '%1')) end
function trimSpace(s) return string.trim(s) end

function table.len(t)
  local n = 0
  if type(t) == 'table' then for _ in pairs(t) do n = n + 1 end end
  return n
end
function table.empty(t) return t == nil or next(t) == nil end
function table.clone(t)
  if type(t) ~= 'table' then return t end
  local c = {}
  for k, v in pairs(t) do c[k] = table.clone(v) end
  return c
end
function table.merge(a, b)
  local out = {}
  for k, v in pairs(a or {}) do out[k] = v end
  for k, v in pairs(b or {}) do out[k] = v end
  return out
end
function table.has_key(t, key) return type(t) == 'table' and t[key] ~= nil end

function round(num, idp)
  local mult = 10 ^ (idp or 0)
  return math.floor(num * mult + 0.5) / mult
end

local function scaled(value, units, base, digits)
  local i = 1
  while value >= base and i < #units do value = value / base; i = i + 1 end
  if i == 1 then return string.format('%d %s', math.floor(value), units[1]) end
  return string.format('%.' .. (digits or 2) .. 'f %s', value, units[i])
end
function bytesToSize(bytes) return scaled(tonumber(bytes) or 0, { 'Bytes', 'KB', 'MB', 'GB', 'TB', 'PB' }, 1024) end
function formatBytes(bytes) return bytesToSize(bytes) end
function formatPackets(n) return scaled(tonumber(n) or 0, { 'Pkts', 'K Pkts', 'M Pkts', 'G Pkts' }, 1000) end
function formatValue(n)
  local s = tostring(math.floor(tonumber(n) or 0))
  local out = s:reverse():gsub('(%d%d%d)', '%1,'):reverse()
  return (out:gsub('^,', ''))
end
function secondsToTime(secs)
  secs = math.floor(tonumber(secs) or 0)
  local days, hours, mins = secs // 86400, (secs % 86400) // 3600, (secs % 3600) // 60
  local parts = {}
  if days > 0 then parts[#parts + 1] = days .. ' day' .. (days > 1 and 's' or '') end
  if hours > 0 then parts[#parts + 1] = hours .. ' h' end
  if mins > 0 then parts[#parts + 1] = mins .. ' min' end
  if secs % 60 > 0 or #parts == 0 then parts[#parts + 1] = (secs % 60) .. ' sec' end
  return table.concat(parts, ', ')
end
function formatEpoch(epoch) return os.date('%d/%m/%Y %X', math.floor(tonumber(epoch) or 0)) end

function isIPv4(addr)
  if type(addr) ~= 'string' then return false end
  local a, b, c, d = addr:match('^(%d+)%.(%d+)%.(%d+)%.(%d+)$')
  if a == nil then return false end
  for _, v in ipairs({ a, b, c, d }) do if tonumber(v) > 255 then return false end end
  return true
end
function isIPv6(addr) return type(addr) == 'string' and addr:find(':', 1, true) ~= nil and addr:match('^[%x:%.]+$') ~= nil end

return true
`;

/** alert_severities: ntopng's severity table. */
function alertSeveritiesSource(): string {
  const rows = Object.entries(SEVERITY_IDS).map(([name, id]) => `  ${name} = { severity_id = ${id}, label = ${luaString(name)}, i18n_title = ${luaString(`alerts_dashboard.${name}`)} },`).join('\n');
  return `return {\n${rows}\n}\n`;
}

let cached: Record<string, string> | null = null;

/** name -> source of every module require() can load. */
export function luaModules(): Record<string, string> {
  cached ??= {
    flow_consts: flowConstsSource(),
    dkjson: DKJSON,
    json: DKJSON,
    lua_utils: LUA_UTILS,
    alert_severities: alertSeveritiesSource(),
  };
  return cached;
}
