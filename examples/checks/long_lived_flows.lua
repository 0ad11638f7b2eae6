-- Detects long-lived flows: a flow still active after LONG_LIVED_SECONDS of packet time (checked
-- every 60 s by the periodic hook, and once more when the flow ends). Marks the flow with ntopng's
-- long-lived status (flow_consts.status_types.status_longlived) and raises it once per flow,
-- through the Flow User Scripts API (flow.isStatusSet / flow.triggerStatus).
-- Run: flowscope analyze FILE --checks examples/checks/long_lived_flows.lua

local flow_consts = require('flow_consts')

local LONG_LIVED_SECONDS = 30 * 60
local longlived = flow_consts.status_types.status_longlived

local function check(now)
  local duration = flow.getDuration()
  if duration == nil or duration < LONG_LIVED_SECONDS then return end
  if flow.isStatusSet(longlived.status_key) then return end
  flow.triggerStatus(longlived, {
    duration = duration,
    bytes = flow.bytes(),
    protocol = flow.l7_proto_name(),
  }, 50, 25, 25)
end

return { hooks = { periodicUpdate = check, flowEnd = check } }
