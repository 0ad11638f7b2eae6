-- Detects obsolete SSH software: SSH protocol 1 (banner "SSH-1.x", except 1.99 which also speaks
-- 2), OpenSSH older than 7.4 (2016), Dropbear older than 2020, on either side; and flows where
-- nDPI itself flags an obsolete SSH client or server version or cipher (risks 18 and 19).
-- Run: flowscope analyze FILE --checks examples/checks/obsolete_ssh.lua

local OBSOLETE_CLIENT_RISK, OBSOLETE_SERVER_RISK = 18, 19

local function obsolete(banner)
  if banner == nil then return nil end
  local major, minor = banner:match('^SSH%-(%d+)%.(%d+)%-')
  if major == '1' and minor ~= '99' then return 'SSH protocol 1' end
  local omaj, omin = banner:match('OpenSSH_(%d+)%.(%d+)')
  if omaj ~= nil and (tonumber(omaj) < 7 or (tonumber(omaj) == 7 and tonumber(omin) < 4)) then
    return 'OpenSSH ' .. omaj .. '.' .. omin
  end
  local dropbear = banner:match('dropbear_(%d%d%d%d)')
  if dropbear ~= nil and tonumber(dropbear) < 2020 then return 'Dropbear ' .. dropbear end
  return nil
end

local function check(now)
  local ssh = flow.ssh()
  if next(ssh) == nil then return end
  local found = {}
  local client = obsolete(ssh.client_signature)
  local server = obsolete(ssh.server_signature)
  if client then found[#found + 1] = 'client ' .. client end
  if server then found[#found + 1] = 'server ' .. server end
  for _, risk in ipairs(flow.getFullInfo().flow_risk or {}) do
    if risk == OBSOLETE_CLIENT_RISK and not client then found[#found + 1] = 'client version or cipher flagged by nDPI' end
    if risk == OBSOLETE_SERVER_RISK and not server then found[#found + 1] = 'server version or cipher flagged by nDPI' end
  end
  if #found > 0 then
    flow.triggerAlert(70, 'Obsolete SSH: ' .. table.concat(found, ', ') ..
      ' (' .. tostring(ssh.client_signature) .. ' -> ' .. tostring(ssh.server_signature) .. ')')
  end
end

return { hooks = { protocolDetected = check } }
