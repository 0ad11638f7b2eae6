-- Detects TLS certificates that should not be trusted, when the flow's protocol is detected:
--   * expired (notAfter before the packet time) or not yet valid (notBefore after it);
--   * self-signed (issuer and subject identical);
--   * valid for more than 398 days, for certificates issued since 2020-09-01 (the CA/Browser
--     Forum limit from that date on).
-- Times are the capture's: a replayed capture is judged as it was when recorded.
-- Run: flowscope analyze FILE --checks examples/checks/tls_certificates.lua

local MAX_VALIDITY_DAYS = 398
local LIMIT_SINCE = 1598918400 -- 2020-09-01T00:00:00Z

local function check(now)
  local tls = flow.tls_quic()
  local not_before, not_after = tls.notBefore, tls.notAfter
  if not_before == nil or not_after == nil then return end
  local problems, score = {}, 0
  if not_after < now then
    problems[#problems + 1] = 'expired on ' .. os.date('!%Y-%m-%d', not_after)
    score = 100
  elseif not_before > now then
    problems[#problems + 1] = 'not valid before ' .. os.date('!%Y-%m-%d', not_before)
    score = 100
  end
  if tls.issuerDN ~= nil and tls.issuerDN ~= '' and tls.issuerDN == tls.subjectDN then
    problems[#problems + 1] = 'self-signed (' .. tls.subjectDN .. ')'
    score = math.max(score, 80)
  end
  local days = (not_after - not_before) // 86400
  if days > MAX_VALIDITY_DAYS and not_before >= LIMIT_SINCE then
    problems[#problems + 1] = 'valid for ' .. days .. ' days'
    score = math.max(score, 30)
  end
  if #problems > 0 then
    local server = tls.client_requested_server_name or flow.srv()
    flow.triggerAlert(score, 'TLS certificate of ' .. server .. ': ' .. table.concat(problems, ', '))
  end
end

return { hooks = { protocolDetected = check } }
