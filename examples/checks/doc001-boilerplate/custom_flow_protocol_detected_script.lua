-- Document 001 (flow.* API reference), "Standard boilerplate for a flow check script", as printed.
-- Detects: flows over 1,000,000 bytes when their protocol is detected (score
-- flow_consts.alert_types.flow_score). Run: flowscope analyze FILE --checks examples/checks/doc001-boilerplate

-- scripts/lua/modules/flow_checks/my_flow_check.lua
local dirs = ntop.getDirs()
package.path = dirs.installdir .. "/scripts/lua/modules/?.lua;" .. package.path

local flow_consts = require("flow_consts")

local my_check = {}

-- Called once per active flow by the engine
function my_check.check(flow_info)
    local cli   = flow.cli()          -- client IP string
    local srv   = flow.srv()          -- server IP string
    local proto = flow.protocol()     -- L4 protocol number
    local bytes = flow.bytes()        -- total bytes

    if bytes > 1000000 then
        flow.triggerAlert(flow_consts.alert_types.flow_score, "Large flow detected")
    end
end

return my_check
