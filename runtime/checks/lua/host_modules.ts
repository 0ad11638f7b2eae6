// Lua source: turns I.host_modules ({namespace = {name = op}}) into global tables whose
// functions call the host. Arguments travel as one encoded blob (nils kept through `n`), the
// result as one blob. A namespace's __unavailable names (ntopng functions flowscope does not
// offer) raise a clear error when called; other unknown names are nil, as in ntopng.
export const HOST_MODULES_LUA = String.raw`
local I = ...
local host, encode, decode = I.host, I.encode, I.decode
local select, error, setmetatable, rawget, type, pairs = select, error, setmetatable, rawget, type, pairs

local function caller(namespace, name, op)
  return function(...)
    local blob, err = host(op, encode({ n = select('#', ...), ... }))
    if blob == nil then
      if err ~= nil then error(namespace .. '.' .. name .. ': ' .. err, 2) end
      return nil
    end
    return decode(blob)
  end
end

for namespace, functions in pairs(I.host_modules) do
  local t = rawget(_G, namespace) or {}
  local unavailable = {}
  for name, op in pairs(functions) do
    if name == '__unavailable' then
      for _, n in pairs(op) do unavailable[n] = true end
    else
      t[name] = caller(namespace, name, op)
    end
  end
  -- Plain entries (no metatable on the module table): the function exists and raises.
  for name in pairs(unavailable) do
    if t[name] == nil then
      local message = namespace .. '.' .. name .. ' is not available in the flowscope sandbox'
      t[name] = function() error(message, 2) end
    end
  end
  _G[namespace] = t
end
`;
