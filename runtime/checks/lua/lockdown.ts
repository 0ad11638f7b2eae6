// Lua source run first in every sandbox state, while the full base library is still there.
// It keeps private references in the internal table I (never reachable from scripts), then
// removes or wraps whatever could escape the sandbox or run unbounded inside one C call:
//
// - gone: load, loadstring, dofile, loadfile, string.dump, warn, os.* except time/date/clock,
//   io (except io.write, which logs), debug and package.loadlib (never loaded);
// - collectgarbage: only "count";
// - pcall, xpcall, coroutine.resume/close: an aborted run (budget, time, memory) is re-raised
//   instead of being caught, so a script cannot swallow its own termination;
// - string.find/match/gmatch/gsub: when the C matcher's worst case on this subject is large,
//   the pure-Lua matcher runs instead (interruptible by the instruction budget); otherwise the
//   C function runs and its cost is charged to the budget;
// - table.sort/move/unpack/concat, string.rep/byte, utf8.len/codepoint, tonumber: charged by
//   input size so a loop of big C calls meets the budget as fast as a loop of instructions;
//   so are long numeric strings given to math.*, string arithmetic, string.char/format/pack and
//   utf8.char, which convert them inside the call;
// - require: only the modules flowscope provides (I.modules), by name; package.path is a
//   plain string scripts may assign, and is ignored.
//
// Called with (I); the host sets I.host (the host function), I.ABORT (the abort sentinel) and
// I.modules (name -> Lua source) before.
import { GATE_BUDGET } from '../gate.ts';
import { HOST_OP } from './host_ops.ts';

export const LOCKDOWN_LUA = String.raw`
local I = ...
local host, ABORT = I.host, I.ABORT
local OP_ABORTED, OP_CHARGE, OP_JOIN = ${HOST_OP.ABORTED}, ${HOST_OP.CHARGE}, ${HOST_OP.JOIN}
local GATE_BUDGET = ${GATE_BUDGET}
local type, error, select, tostring, tonumber, rawequal = type, error, select, tostring, tonumber, rawequal
local raw_pcall, raw_xpcall, raw_load, setmetatable = pcall, xpcall, load, setmetatable
local raw_tonumber, ipairs, pairs, next = tonumber, ipairs, pairs, next
local string, table, math, coroutine, utf8, os = string, table, math, coroutine, utf8, os
local s_len, s_byte, s_find, s_sub, s_format = string.len, string.byte, string.find, string.sub, string.format
local t_concat = table.concat
local tointeger = math.tointeger

I.load = raw_load
I.pcall = raw_pcall
I.tostring = tostring

-- ---------------------------------------------------------------- abort propagation
local function aborted(e)
  return rawequal(e, ABORT) or host(OP_ABORTED)
end
I.aborted = aborted

local function pass(ok, ...)
  if not ok and aborted((...)) then error(ABORT, 0) end
  return ok, ...
end

function pcall(f, ...)
  return pass(raw_pcall(f, ...))
end

-- Lua calls a message handler before unwinding, and after an error raised by a hook it calls it
-- with hooks disabled (the hook's allowhook flag is only restored at the protected call): a
-- handler that loops would then run forever. So the handler runs here, after the unwind, under
-- the budget like any other code. (Scripts have no debug library, so nothing they can observe
-- in a handler depends on the stack still being there.)
local function xpass(handler, ok, ...)
  if ok then return true, ... end
  local e = ...
  if aborted(e) then error(ABORT, 0) end
  local handled, value = raw_pcall(handler, e)
  if not handled and aborted(value) then error(ABORT, 0) end
  return false, value
end
function xpcall(f, handler, ...)
  if type(handler) ~= 'function' then
    error("bad argument #2 to 'xpcall' (function expected, got " .. type(handler) .. ")", 2)
  end
  return xpass(handler, raw_pcall(f, ...))
end

-- A coroutine ended by a hook error keeps hooks disabled: closing it would run its __close
-- metamethods unbounded. Such coroutines are poisoned: never closed. coroutine.wrap is rebuilt
-- on create/resume so that the C version's automatic close cannot happen either.
local co_create, co_resume, co_close, co_status = coroutine.create, coroutine.resume, coroutine.close, coroutine.status
local poisoned = setmetatable({}, { __mode = 'k' })
-- The gate (gate.ts) turns the hook on for the thread running when it runs out: once it has, a
-- switch to another thread re-arms it, so that the next gate there turns that thread's hook on.
local function rearm()
  if __flowscope_n > GATE_BUDGET then __flowscope_n = 0 end
end
local function resumed(co, ok, ...)
  rearm()
  if not ok and aborted((...)) then
    poisoned[co] = true
    error(ABORT, 0)
  end
  return ok, ...
end
coroutine.resume = function(co, ...)
  rearm()
  return resumed(co, co_resume(co, ...))
end
coroutine.close = function(co)
  if poisoned[co] then return false, 'coroutine stopped by the flowscope sandbox' end
  rearm()
  return pass(co_close(co))
end
local function unwrap(co, ok, ...)
  rearm()
  if ok then return ... end
  local e = ...
  if aborted(e) then
    poisoned[co] = true
    error(ABORT, 0)
  end
  if co_status(co) == 'dead' then pass(co_close(co)) end
  if type(e) == 'string' then error(e, 2) end
  error(e, 0)
end
coroutine.wrap = function(f)
  local co = co_create(f)
  return function(...)
    rearm()
    return unwrap(co, co_resume(co, ...))
  end
end

-- Finalizers run with hooks disabled (lgc.c GCTM), out of the budget's reach: refused. Lua only
-- registers a finalizer when the metatable has __gc at setmetatable time.
local raw_setmetatable, rawget = setmetatable, rawget
_G.setmetatable = function(t, mt)
  if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
    error('__gc metamethods (finalizers) are not available in the flowscope sandbox', 2)
  end
  return raw_setmetatable(t, mt)
end

-- ---------------------------------------------------------------- cost charging
-- host(OP_CHARGE, n) adds n instructions to the run's count and ends the run when the budget or
-- the time limit is exceeded. Small costs are not worth a host call.
local CHARGE_MIN = 4096
local function charge(n)
  if n >= CHARGE_MIN then host(OP_CHARGE, n) end
end
I.charge = charge

-- ---------------------------------------------------------------- patterns
local c_find, c_match, c_gmatch, c_gsub = string.find, string.match, string.gmatch, string.gsub
-- Worst case of the C matcher, in steps: each unbounded repetition item ('*', '+', '-') can
-- multiply the work by the subject length, '?' by two, and an unanchored pattern is tried at
-- every position. Plain finds cost at most subject x pattern length.
local C_LIMIT = I.constants.pattern_c_limit or 1e6
local cost_cache, cost_cached = {}, 0
local function pattern_shape(p)
  local shape = cost_cache[p]
  if shape then return shape end
  local reps, opts, i, n = 0, 0, 1, s_len(p)
  local anchored = s_byte(p, 1) == 94
  while i <= n do
    local c = s_byte(p, i)
    if c == 37 then i = i + 1                  -- escape: skip the next char
    elseif c == 91 then                        -- [set]: skip to its end
      i = i + 1
      if s_byte(p, i) == 94 then i = i + 1 end
      repeat
        local cc = s_byte(p, i)
        i = i + 1
        if cc == 37 then i = i + 1 end
      until i > n or s_byte(p, i) == 93
    elseif c == 42 or c == 43 or c == 45 then reps = reps + 1
    elseif c == 63 then opts = opts + 1 end
    i = i + 1
  end
  shape = { reps, opts, anchored, n }
  if n <= 256 then
    if cost_cached >= 1024 then cost_cache, cost_cached = {}, 0 end
    cost_cache[p] = shape
    cost_cached = cost_cached + 1
  end
  return shape
end

local function match_cost(ls, p, repeated)
  local shape = pattern_shape(p)
  local reps, opts = shape[1], shape[2]
  local starts = (shape[3] and not repeated) and 1 or (ls + 1)
  local cost = starts * (shape[4] + 1)
  if reps > 0 then cost = cost * (ls + 1) ^ reps end
  if opts > 0 then cost = cost * 2 ^ (opts > 40 and 40 or opts) end
  return cost
end

-- lstrlib's SPECIALS: a find with none of these is a plain search.
local function nospecials(p)
  return not s_find(p, '[%^%$%*%+%?%.%(%[%%%-]')
end
I.nospecials = nospecials

string.find = function(s, p, init, plain)
  if type(s) == 'string' and type(p) == 'string' then
    local ls = s_len(s)
    local cost = (plain or nospecials(p)) and ls * (s_len(p) + 1) or match_cost(ls, p, false)
    if cost > C_LIMIT and not (plain or nospecials(p)) then return I.lfind(s, p, init, plain) end
    charge(cost // 16)
  end
  return c_find(s, p, init, plain)
end

string.match = function(s, p, init)
  if type(s) == 'string' and type(p) == 'string' then
    local cost = match_cost(s_len(s), p, false)
    if cost > C_LIMIT then return I.lmatch(s, p, init) end
    charge(cost // 16)
  end
  return c_match(s, p, init)
end

string.gmatch = function(s, p, init)
  if type(s) == 'string' and type(p) == 'string' then
    local cost = match_cost(s_len(s), p, true)
    if cost > C_LIMIT then return I.lgmatch(s, p, init) end
    charge(cost // 16)
  end
  return c_gmatch(s, p, init)
end

string.gsub = function(s, p, repl, n)
  if type(s) == 'string' and type(p) == 'string' then
    local cost = match_cost(s_len(s), p, true)
    if cost > C_LIMIT then return I.lgsub(s, p, repl, n) end
    charge(cost // 16)
  end
  return c_gsub(s, p, repl, n)
end

-- ---------------------------------------------------------------- sized C functions
local c_rep, c_sbyte, c_upper, c_lower, c_reverse = string.rep, string.byte, string.upper, string.lower, string.reverse
string.rep = function(s, n, sep)
  if type(n) == 'number' and n > 0 and (type(s) == 'string' or type(s) == 'number') then
    local total = (s_len(tostring(s)) + (type(sep) == 'string' and s_len(sep) or 0)) * n
    charge(total // 8)
  end
  return c_rep(s, n, sep)
end
string.byte = function(s, i, j)
  if type(s) == 'string' and j ~= nil then
    local a, b = tointeger(i) or 1, tointeger(j) or 1
    charge((b - a) * 4)
  end
  return c_sbyte(s, i, j)
end
for _, name in ipairs({ 'upper', 'lower', 'reverse' }) do
  local f = string[name]
  string[name] = function(s, ...)
    if type(s) == 'string' then charge(s_len(s) // 8) end
    return f(s, ...)
  end
end
string.dump = nil

local c_sort, c_move, c_unpack, c_tconcat = table.sort, table.move, table.unpack, table.concat
I.raw_unpack = c_unpack
table.sort = function(t, comp)
  if type(t) == 'table' then
    local n = #t
    if n > 64 then
      local log = 1
      while (1 << log) < n do log = log + 1 end
      charge(n * log * 4)
    end
  end
  return c_sort(t, comp)
end
table.move = function(a1, f, e, t, a2)
  local from, to = tointeger(f), tointeger(e)
  if from and to and to >= from then charge((to - from) * 4) end
  return c_move(a1, f, e, t, a2)
end
table.unpack = function(t, i, j)
  local from = tointeger(i) or 1
  local to = tointeger(j) or (type(t) == 'table' and #t or 0)
  if to >= from then charge((to - from) * 2) end
  return c_unpack(t, i, j)
end
table.concat = function(t, sep, i, j)
  if type(t) == 'table' then
    local from = tointeger(i) or 1
    local to = tointeger(j) or #t
    if to >= from then charge((to - from) * 4) end
  end
  return c_tconcat(t, sep, i, j)
end

local c_ulen, c_ucodepoint = utf8.len, utf8.codepoint
utf8.len = function(s, ...)
  if type(s) == 'string' then charge(s_len(s) // 4) end
  return c_ulen(s, ...)
end
utf8.codepoint = function(s, i, j, ...)
  if type(s) == 'string' and j ~= nil then
    local a, b = tointeger(i) or 1, tointeger(j) or 1
    charge((b - a) * 4)
  end
  return c_ucodepoint(s, i, j, ...)
end

-- The bytes a conversion to a number reads through: a string over 256 bytes that starts like a
-- number (after spaces). Shorter ones cost too little to count; others fail at once.
local NUMBER_START = '^%s*[%d%.%+%-]'
local function numeric_bytes(v)
  if type(v) == 'string' and #v > 256 and s_find(v, NUMBER_START) then return #v end
  return 0
end

-- String arithmetic ("10" + 1) goes through the string metatable's metamethods, which convert
-- with strtod: linear in the string, so charged for long strings.
local string_mt = getmetatable('')
for _, event in ipairs({ '__add', '__sub', '__mul', '__div', '__mod', '__pow', '__unm', '__idiv' }) do
  local f = string_mt[event]
  if f ~= nil then
    string_mt[event] = function(a, b)
      local n = numeric_bytes(a) + numeric_bytes(b)
      if n > 0 then charge(n * 2) end
      return f(a, b)
    end
  end
end

-- Many C functions take numbers and convert string arguments inside the call (strtod, ~50 ns a
-- byte, or a digit loop): unchecked between two count hooks, and before the gate has turned the
-- hook on, a loop of them repeats it. math.abs("1111...") of 16 KiB in a loop took 71-83 ms of
-- CPU; string.format("%f", s) of a long fraction ~1 ms a call; and string.char(table.unpack(t))
-- with 60,000 copies of a 16 KiB numeric string ran 1.4 s inside that one call. The math
-- functions and those that take any number of numbers charge, before they run, the bytes of
-- their long string arguments that start like a number (after spaces): the ones a conversion
-- reads through. (Functions that take one or two integers are left as they are: a conversion
-- there costs at most ~0.1 ms, or fails, and a loop of them ends on the time limit; wrapping
-- string.sub would slow every parsing loop. runtime/checks/README.md has the figures.)
local function charge_numeric(first, ...)
  local n, total = select('#', ...), 0
  if n - first < 4 then
    for i = first, n do total = total + numeric_bytes((select(i, ...))) end
  else
    -- select(i, ...) copies the rest at each step: one table instead.
    local args = { ... }
    for i = first, n do total = total + numeric_bytes(args[i]) end
  end
  if total > 0 then charge(total * 2) end
end

-- The wrapper calls the C function under its own name, so that a bad argument is reported as
-- "bad argument #1 to 'char'", not to a local 'f'. (The message's position is the wrapper's,
-- "[flowscope]:1:"; the host puts the script's line there, sandbox.ts trimTraceback.)
local function charging(lib, name, first)
  local f = lib[name]
  if type(f) ~= 'function' then return end
  local source = 'local ' .. name .. ', charge, first = ... return function(...) charge(first, ...) return ' .. name .. '(...) end'
  lib[name] = raw_load(source, '=[flowscope]')(f, charge_numeric, first)
end
for name in pairs(math) do charging(math, name, 1) end
charging(string, 'char', 1)
charging(string, 'format', 2)
charging(string, 'pack', 2)
charging(utf8, 'char', 1)

_G.tonumber = function(v, base)
  if type(v) == 'string' and s_len(v) > 256 then charge(s_len(v) * 2) end
  return raw_tonumber(v, base)
end

-- ---------------------------------------------------------------- what is removed
load, loadstring, dofile, loadfile, warn, require, module, unpack = nil, nil, nil, nil, nil, nil, nil, nil
local c_collectgarbage = collectgarbage
collectgarbage = function(opt, ...)
  if opt == 'count' then return c_collectgarbage('count') end
  error("collectgarbage('" .. tostring(opt or 'collect') .. "') is not available in the flowscope sandbox (only 'count')", 2)
end
local c_time, c_date, c_clock = os.time, os.date, os.clock
_G.os = { time = c_time, date = c_date, clock = c_clock }

-- ---------------------------------------------------------------- output
-- print and io.write append to the run's log, which the host collects after the call. A run
-- keeps at most LOG_LIMIT bytes; the rest is counted and dropped.
local LOG_LIMIT = 16384
local log, log_bytes, log_dropped = {}, 0, 0
I.log = log
function I.log_reset()
  for i = #log, 1, -1 do log[i] = nil end
  log_bytes, log_dropped = 0, 0
end
function I.log_take()
  if log[1] == nil and log_dropped == 0 then return nil end
  local text = t_concat(log)
  if log_dropped > 0 then text = text .. '[' .. log_dropped .. ' bytes of output dropped]\n' end
  I.log_reset()
  return text
end
local function emit(text)
  local n = s_len(text)
  if log_bytes + n > LOG_LIMIT then
    log_dropped = log_dropped + n
    if log[1] == nil then log[1] = '' end
    return
  end
  log_bytes = log_bytes + n
  log[#log + 1] = text
end
function print(...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  emit(t_concat(parts, '\t') .. '\n')
end
io = {
  write = function(...)
    for i = 1, select('#', ...) do
      local v = select(i, ...)
      local t = type(v)
      if t ~= 'string' and t ~= 'number' then
        error("bad argument #" .. i .. " to 'write' (string expected, got " .. t .. ")", 2)
      end
      emit(tostring(v))
    end
    return io
  end,
}

-- ---------------------------------------------------------------- require
-- Only flowscope's modules, by name (ntopng's scripts set package.path to their install dir
-- first: that assignment works and is ignored).
local loaded = {
  string = string, table = table, math = math, utf8 = utf8, coroutine = coroutine,
  os = _G.os, io = io, _G = _G,
}
package = { path = '/usr/share/ntopng/scripts/lua/modules/?.lua', cpath = '', loaded = loaded, preload = {}, config = '/\n;\n?\n!\n-\n' }
local loading = {}
function require(name)
  if type(name) ~= 'string' then
    error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
  end
  local value = loaded[name]
  if value ~= nil then return value end
  local preload = package.preload[name]
  local source = I.modules[name]
  if preload == nil and source == nil then
    local names = {}
    for k in pairs(I.modules) do names[#names + 1] = k end
    table.sort(names)
    error("module '" .. name .. "' not found: the flowscope sandbox provides only " .. t_concat(names, ', '), 2)
  end
  if loading[name] then error("loop while loading module '" .. name .. "'", 2) end
  loading[name] = true
  local ok, result = raw_pcall(function()
    if preload ~= nil then return preload(name) end
    -- Module sources come gated (sandbox.ts): the chunk returns the gated function to join.
    local wrapper, err = raw_load(source, '=' .. name, 't', _ENV)
    if wrapper == nil then error(err, 0) end
    local chunk = wrapper()
    host(OP_JOIN, chunk, I.gate_owner)
    return chunk(name)
  end)
  loading[name] = nil
  if not ok then
    if aborted(result) then error(ABORT, 0) end
    error(result, 0)
  end
  if result == nil then result = true end
  if loaded[name] == nil then loaded[name] = result end
  return loaded[name]
end
`;
