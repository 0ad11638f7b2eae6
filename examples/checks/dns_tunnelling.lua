-- Detects DNS tunnelling and exfiltration: DNS queries that carry data rather than look up names.
--   * a query name longer than 100 characters, or a label longer than 50;
--   * a random-looking first label (high character entropy: encoded data);
--   * TXT or NULL queries answered with more than 512 bytes (the usual tunnel transports);
--   * a parent domain queried under many distinct subdomains (counted across flows).
-- One alert per flow (flow.triggerAlert), score 60, or 100 when two signs agree.
-- Run: flowscope analyze FILE --checks examples/checks/dns_tunnelling.lua

local MAX_NAME, MAX_LABEL = 100, 50
local ENTROPY_BITS, ENTROPY_MIN_LEN = 3.8, 20
local SUBDOMAINS_LIMIT = 50
local TXT, NULL = 16, 10

-- parent domain -> set of subdomains seen (kept small: at most 1000 parents)
local subdomains, parents = {}, 0

local function entropy(s)
  local counts, n = {}, #s
  for i = 1, n do
    local c = s:byte(i)
    counts[c] = (counts[c] or 0) + 1
  end
  local bits = 0
  for _, k in pairs(counts) do
    local p = k / n
    bits = bits - p * math.log(p, 2)
  end
  return bits
end

local function check(now)
  local dns = flow.dns()
  local name = dns.last_query
  if name == nil or name == '' then return end
  local reasons = {}

  local first = name:match('^([^.]+)') or ''
  local longest = 0
  for label in name:gmatch('[^.]+') do
    if #label > longest then longest = #label end
  end
  if #name > MAX_NAME then reasons[#reasons + 1] = 'query of ' .. #name .. ' characters' end
  if longest > MAX_LABEL then reasons[#reasons + 1] = 'label of ' .. longest .. ' characters' end
  if #first >= ENTROPY_MIN_LEN then
    local bits = entropy(first)
    if bits > ENTROPY_BITS then reasons[#reasons + 1] = string.format('random-looking label (%.1f bits/char)', bits) end
  end
  local qtype = dns.last_query_type
  if (qtype == TXT or qtype == NULL) and flow.srv2cli_bytes() > 512 then
    reasons[#reasons + 1] = (qtype == TXT and 'TXT' or 'NULL') .. ' answer of ' .. flow.srv2cli_bytes() .. ' bytes'
  end

  local parent = name:match('([^.]+%.[^.]+)$')
  if parent ~= nil and parent ~= name then
    local seen = subdomains[parent]
    if seen == nil and parents < 1000 then
      seen = { n = 0, names = {} }
      subdomains[parent] = seen
      parents = parents + 1
    end
    if seen ~= nil and not seen.names[name] and seen.n <= SUBDOMAINS_LIMIT then
      seen.names[name] = true
      seen.n = seen.n + 1
      if seen.n == SUBDOMAINS_LIMIT then
        reasons[#reasons + 1] = SUBDOMAINS_LIMIT .. ' distinct subdomains of ' .. parent
      end
    end
  end

  if #reasons > 0 then
    flow.triggerAlert(#reasons > 1 and 100 or 60, 'Possible DNS tunnelling (' .. name .. '): ' .. table.concat(reasons, '; '))
  end
end

return { hooks = { protocolDetected = check } }
