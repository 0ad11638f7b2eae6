// Lua source: a port of Lua 5.4's pattern matcher (lstrlib.c: match, str_find_aux, gmatch,
// gsub) to Lua itself. The sandbox routes string.find/match/gmatch/gsub here when the C
// matcher's worst case on the given subject is too long: a C function is one VM instruction,
// so the instruction budget cannot stop it, while this code runs under the budget like any
// script. Same results and errors as the C functions; only slower.
//
// Called as a chunk with the internal table I; sets I.lfind, I.lmatch, I.lgmatch, I.lgsub.
export const PATTERNS_LUA = String.raw`
local I = ...
local byte, sub, len = string.byte, string.sub, string.len
local type, error, tostring, select = type, error, tostring, select
local t_concat = table.concat
local tointeger = math.tointeger

local L_ESC = 37          -- '%'
local MAXCCALLS = 200
local MAXCAPTURES = 32
local CAP_UNFINISHED, CAP_POSITION = -1, -2

local function class_matches(c, cl)
  local lower = cl | 32
  local res
  if lower == 97 then      -- a
    res = (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
  elseif lower == 99 then  -- c
    res = c < 32 or c == 127
  elseif lower == 100 then -- d
    res = c >= 48 and c <= 57
  elseif lower == 103 then -- g
    res = c > 32 and c < 127
  elseif lower == 108 then -- l
    res = c >= 97 and c <= 122
  elseif lower == 112 then -- p
    res = (c >= 33 and c <= 47) or (c >= 58 and c <= 64) or (c >= 91 and c <= 96) or (c >= 123 and c <= 126)
  elseif lower == 115 then -- s
    res = c == 32 or (c >= 9 and c <= 13)
  elseif lower == 117 then -- u
    res = c >= 65 and c <= 90
  elseif lower == 119 then -- w
    res = (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
  elseif lower == 120 then -- x
    res = (c >= 48 and c <= 57) or (c >= 65 and c <= 70) or (c >= 97 and c <= 102)
  else
    return cl == c
  end
  if cl >= 65 and cl <= 90 then return not res end
  return res
end

-- ms fields: s, slen, p, plen, level, cinit{}, clen{}, depth
local match

local function pbyte(ms, i)
  if i > ms.plen then return 0 end
  return byte(ms.p, i)
end

local function class_end(ms, p)
  local c = byte(ms.p, p)
  p = p + 1
  if c == L_ESC then
    if p > ms.plen then error("malformed pattern (ends with '%')", 0) end
    return p + 1
  elseif c == 91 then -- '['
    if pbyte(ms, p) == 94 then p = p + 1 end
    repeat
      if p > ms.plen then error("malformed pattern (missing ']')", 0) end
      local cc = byte(ms.p, p)
      p = p + 1
      if cc == L_ESC and p <= ms.plen then p = p + 1 end
    until pbyte(ms, p) == 93
    return p + 1
  end
  return p
end

local function bracket_matches(ms, c, p, ec)
  local sig = true
  if pbyte(ms, p + 1) == 94 then sig = false; p = p + 1 end
  p = p + 1
  while p < ec do
    local pc = byte(ms.p, p)
    if pc == L_ESC then
      p = p + 1
      if class_matches(c, pbyte(ms, p)) then return sig end
    elseif pbyte(ms, p + 1) == 45 and p + 2 < ec then
      p = p + 2
      if pc <= c and c <= byte(ms.p, p) then return sig end
    elseif pc == c then
      return sig
    end
    p = p + 1
  end
  return not sig
end

local function single_match(ms, s, p, ep)
  if s > ms.slen then return false end
  local c = byte(ms.s, s)
  local pc = byte(ms.p, p)
  if pc == 46 then return true                      -- '.'
  elseif pc == L_ESC then return class_matches(c, pbyte(ms, p + 1))
  elseif pc == 91 then return bracket_matches(ms, c, p, ep - 1)
  else return pc == c end
end

local function match_balance(ms, s, p)
  if p >= ms.plen then error("malformed pattern (missing arguments to '%b')", 0) end
  if s > ms.slen or byte(ms.s, s) ~= byte(ms.p, p) then return nil end
  local b, e = byte(ms.p, p), byte(ms.p, p + 1)
  local cont = 1
  s = s + 1
  while s <= ms.slen do
    local c = byte(ms.s, s)
    if c == e then
      cont = cont - 1
      if cont == 0 then return s + 1 end
    elseif c == b then
      cont = cont + 1
    end
    s = s + 1
  end
  return nil
end

local function max_expand(ms, s, p, ep)
  local i = 0
  while single_match(ms, s + i, p, ep) do i = i + 1 end
  while i >= 0 do
    local res = match(ms, s + i, ep + 1)
    if res then return res end
    i = i - 1
  end
  return nil
end

local function min_expand(ms, s, p, ep)
  while true do
    local res = match(ms, s, ep + 1)
    if res then return res
    elseif single_match(ms, s, p, ep) then s = s + 1
    else return nil end
  end
end

local function start_capture(ms, s, p, what)
  local level = ms.level
  if level >= MAXCAPTURES then error("too many captures", 0) end
  ms.cinit[level + 1] = s
  ms.clen[level + 1] = what
  ms.level = level + 1
  local res = match(ms, s, p)
  if res == nil then ms.level = ms.level - 1 end
  return res
end

local function end_capture(ms, s, p)
  local l = ms.level
  while l >= 1 and ms.clen[l] ~= CAP_UNFINISHED do l = l - 1 end
  if l < 1 then error("invalid pattern capture", 0) end
  ms.clen[l] = s - ms.cinit[l]
  local res = match(ms, s, p)
  if res == nil then ms.clen[l] = CAP_UNFINISHED end
  return res
end

local function check_capture(ms, l)
  l = l - 49 -- '1'
  if l < 0 or l >= ms.level or ms.clen[l + 1] == CAP_UNFINISHED then
    error("invalid capture index %" .. (l + 1), 0)
  end
  return l + 1
end

local function match_capture(ms, s, l)
  l = check_capture(ms, l)
  local n = ms.clen[l]
  local init = ms.cinit[l]
  if ms.slen - s + 1 >= n and sub(ms.s, init, init + n - 1) == sub(ms.s, s, s + n - 1) then
    return s + n
  end
  return nil
end

match = function(ms, s, p)
  ms.depth = ms.depth - 1
  if ms.depth < 0 then error("pattern too complex", 0) end
  while true do
    if p > ms.plen then break end
    local pc = byte(ms.p, p)
    if pc == 40 then -- '('
      if pbyte(ms, p + 1) == 41 then s = start_capture(ms, s, p + 2, CAP_POSITION)
      else s = start_capture(ms, s, p + 1, CAP_UNFINISHED) end
      break
    elseif pc == 41 then -- ')'
      s = end_capture(ms, s, p + 1)
      break
    elseif pc == 36 and p == ms.plen then -- '$' at the end
      if s ~= ms.slen + 1 then s = nil end
      break
    end
    local handled = false
    if pc == L_ESC then
      local nc = pbyte(ms, p + 1)
      if nc == 98 then -- 'b'
        handled = true
        s = match_balance(ms, s, p + 2)
        if s ~= nil then p = p + 4 else break end
      elseif nc == 102 then -- 'f'
        handled = true
        p = p + 2
        if pbyte(ms, p) ~= 91 then error("missing '[' after '%f' in pattern", 0) end
        local ep = class_end(ms, p)
        local previous = (s == 1) and 0 or byte(ms.s, s - 1)
        local current = (s <= ms.slen) and byte(ms.s, s) or 0
        if not bracket_matches(ms, previous, p, ep - 1) and bracket_matches(ms, current, p, ep - 1) then
          p = ep
        else
          s = nil
          break
        end
      elseif nc >= 48 and nc <= 57 then -- '%0'..'%9'
        handled = true
        s = match_capture(ms, s, nc)
        if s ~= nil then p = p + 2 else break end
      end
    end
    if not handled then
      local ep = class_end(ms, p)
      local epc = pbyte(ms, ep)
      if not single_match(ms, s, p, ep) then
        if epc == 42 or epc == 63 or epc == 45 then -- '*' '?' '-': accept empty
          p = ep + 1
        else
          s = nil
          break
        end
      else
        if epc == 63 then -- '?'
          local res = match(ms, s + 1, ep + 1)
          if res ~= nil then s = res; break end
          p = ep + 1
        elseif epc == 43 then -- '+'
          s = max_expand(ms, s + 1, p, ep)
          break
        elseif epc == 42 then -- '*'
          s = max_expand(ms, s, p, ep)
          break
        elseif epc == 45 then -- '-'
          s = min_expand(ms, s, p, ep)
          break
        else
          s = s + 1
          p = ep
        end
      end
    end
  end
  ms.depth = ms.depth + 1
  return s
end

local function new_state(s, p, pstart)
  return { s = s, slen = len(s), p = p, plen = len(p), pstart = pstart, level = 0, cinit = {}, clen = {}, depth = MAXCCALLS }
end

local function reset(ms)
  ms.level = 0
  ms.depth = MAXCCALLS
end

-- Returns the value of capture i (1-based), or the whole match when there are no captures.
local function get_capture(ms, i, s, e)
  if i > ms.level then
    if i ~= 1 then error("invalid capture index %" .. i, 0) end
    return sub(ms.s, s, e - 1)
  end
  local n = ms.clen[i]
  if n == CAP_UNFINISHED then error("unfinished capture", 0) end
  if n == CAP_POSITION then return ms.cinit[i] end
  local init = ms.cinit[i]
  return sub(ms.s, init, init + n - 1)
end

local function captures(ms, s, e, whole)
  local n = (ms.level == 0 and whole) and 1 or ms.level
  if n == 0 then return end
  local out = {}
  for i = 1, n do out[i] = get_capture(ms, i, s, e) end
  return table.unpack(out, 1, n)
end

local function posrelat(pos, l)
  if pos > 0 then return pos
  elseif pos == 0 then return 1
  elseif pos < -l then return 1
  else return l + pos + 1 end
end

local function check_int(v, arg, fname, default)
  if v == nil then return default end
  local n = tointeger(v)
  if n == nil then
    if type(v) == 'string' then n = tointeger(tonumber(v)) end
    if n == nil then error("bad argument #" .. arg .. " to '" .. fname .. "' (number has no integer representation)", 3) end
  end
  return n
end

local function check_str(v, arg, fname)
  local t = type(v)
  if t == 'string' then return v end
  if t == 'number' then return tostring(v) end
  error("bad argument #" .. arg .. " to '" .. fname .. "' (string expected, got " .. (v == nil and 'no value' or t) .. ")", 3)
end

local function find_aux(s, p, init, find, fname)
  local ls = len(s)
  init = posrelat(check_int(init, 3, fname, 1), ls)
  if init > ls + 1 then return nil end
  local anchor = byte(p, 1) == 94
  local pstart = anchor and 2 or 1
  local ms = new_state(s, sub(p, pstart), pstart)
  local s1 = init
  repeat
    reset(ms)
    local e = match(ms, s1, 1)
    if e ~= nil then
      if find then return s1, e - 1, captures(ms, nil, nil, false) end
      return captures(ms, s1, e, true)
    end
    s1 = s1 + 1
  until s1 > ls + 1 or anchor
  return nil
end

function I.lfind(s, p, init, plain)
  s = check_str(s, 1, 'find'); p = check_str(p, 2, 'find')
  if plain or I.nospecials(p) then
    local ls = len(s)
    local i = posrelat(check_int(init, 3, 'find', 1), ls)
    if i > ls + 1 then return nil end
    local lp = len(p)
    if lp == 0 then return i, i - 1 end
    local first = byte(p, 1)
    while i <= ls - lp + 1 do
      if byte(s, i) == first and sub(s, i, i + lp - 1) == p then return i, i + lp - 1 end
      i = i + 1
    end
    return nil
  end
  return find_aux(s, p, init, true, 'find')
end

function I.lmatch(s, p, init)
  s = check_str(s, 1, 'match'); p = check_str(p, 2, 'match')
  return find_aux(s, p, init, false, 'match')
end

function I.lgmatch(s, p, init)
  s = check_str(s, 1, 'gmatch'); p = check_str(p, 2, 'gmatch')
  local ls = len(s)
  local src = posrelat(check_int(init, 3, 'gmatch', 1), ls)
  if src > ls + 1 then src = ls + 2 end
  local ms = new_state(s, p, 1)
  local lastmatch = nil
  return function()
    while src <= ls + 1 do
      reset(ms)
      local e = match(ms, src, 1)
      if e ~= nil and e ~= lastmatch then
        local start = src
        src, lastmatch = e, e
        return captures(ms, start, e, true)
      end
      src = src + 1
    end
    return nil
  end
end

local function add_string(ms, out, repl, s, e)
  local i, lr = 1, len(repl)
  while i <= lr do
    local c = byte(repl, i)
    if c == L_ESC then
      i = i + 1
      local d = byte(repl, i)
      if d == L_ESC then out[#out + 1] = '%'
      elseif d == 48 then out[#out + 1] = sub(ms.s, s, e - 1)
      elseif d ~= nil and d >= 49 and d <= 57 then
        local v = get_capture(ms, d - 48, s, e)
        out[#out + 1] = tostring(v)
      else
        error("invalid use of '%' in replacement string", 0)
      end
      i = i + 1
    else
      local j = i
      while j <= lr and byte(repl, j) ~= L_ESC do j = j + 1 end
      out[#out + 1] = sub(repl, i, j - 1)
      i = j
    end
  end
end

function I.lgsub(s, p, repl, max_n)
  s = check_str(s, 1, 'gsub'); p = check_str(p, 2, 'gsub')
  local tr = type(repl)
  if tr ~= 'number' and tr ~= 'string' and tr ~= 'function' and tr ~= 'table' then
    error("bad argument #3 to 'gsub' (string/function/table expected, got " .. (repl == nil and 'no value' or tr) .. ")", 2)
  end
  if tr == 'number' then repl = tostring(repl); tr = 'string' end
  local ls = len(s)
  max_n = check_int(max_n, 4, 'gsub', ls + 1)
  local anchor = byte(p, 1) == 94
  local ms = new_state(s, anchor and sub(p, 2) or p, 1)
  local out = {}
  local src, lastmatch, n, changed = 1, nil, 0, false
  while n < max_n do
    reset(ms)
    local e = match(ms, src, 1)
    if e ~= nil and e ~= lastmatch then
      n = n + 1
      if tr == 'string' then
        add_string(ms, out, repl, src, e)
        changed = true
      else
        local v
        if tr == 'function' then v = repl(captures(ms, src, e, true))
        else v = repl[get_capture(ms, 1, src, e)] end
        if not v then
          out[#out + 1] = sub(s, src, e - 1)
        elseif type(v) == 'string' or type(v) == 'number' then
          out[#out + 1] = tostring(v)
          changed = true
        else
          error("invalid replacement value (a " .. type(v) .. ")", 2)
        end
      end
      src, lastmatch = e, e
    elseif src <= ls then
      out[#out + 1] = sub(s, src, src)
      src = src + 1
    else
      break
    end
    if anchor then break end
  end
  if not changed then return s, n end
  out[#out + 1] = sub(s, src)
  return t_concat(out), n
end
`;
