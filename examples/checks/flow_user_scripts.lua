-- A Flow User Scripts example (document 002's API): detects insecure protocols reaching a local
-- host from outside (Telnet, FTP, TFTP, rlogin, VNC, SMBv1, or nDPI's "Unsafe Protocol" risk)
-- and marks the flow with ntopng's remote-to-local-insecure-protocol status. It shows
-- isRemoteToLocal, getnDPIProtocolName, isStatusSet, triggerStatus (an alert with a JSON info
-- table, flow score 80, server host score 70) and getScore.
-- Run: flowscope analyze FILE --checks examples/checks/flow_user_scripts.lua

local flow_consts = require('flow_consts')

local INSECURE = { Telnet = true, FTP_CONTROL = true, TFTP = true, Rlogin = true, VNC = true, SMBv1 = true }
local UNSAFE_PROTOCOL_RISK = 22
local status = flow_consts.status_types.status_remote_to_local_insecure_proto

local function check(now)
  if not flow.isRemoteToLocal() then return end
  local name = flow.getnDPIProtocolName()
  local app = name:match('([^.]+)$')
  local insecure = INSECURE[app] or INSECURE[name:match('^([^.]+)')]
  if not insecure then
    for _, risk in ipairs(flow.getFullInfo().flow_risk or {}) do
      if risk == UNSAFE_PROTOCOL_RISK then insecure = true end
    end
  end
  if not insecure or flow.isStatusSet(status.status_key) then return end
  flow.triggerStatus(status, {
    protocol = name,
    client = flow.cli(),
    server = flow.srv() .. ':' .. flow.srv_port(),
    score_before = flow.getScore(),
  }, 80, 10, 70)
end

return { hooks = { protocolDetected = check } }
