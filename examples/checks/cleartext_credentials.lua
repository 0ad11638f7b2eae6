-- Detects credentials sent in clear text: a user name seen by the dissectors in a clear-text
-- protocol (FTP, POP3, IMAP, SMTP AUTH, Telnet...), HTTP requests whose URL carries a password
-- parameter, and flows nDPI flags with its clear-text credentials risk (36). The alert names the
-- protocol and the user, never the password.
-- Run: flowscope analyze FILE --checks examples/checks/cleartext_credentials.lua

local CLEAR_TEXT_CREDENTIALS = 36

local function check(now)
  local info = flow.getFullInfo()
  local user = info['protos.credentials.user']
  local flagged = false
  for _, risk in ipairs(info.flow_risk or {}) do
    if risk == CLEAR_TEXT_CREDENTIALS then flagged = true end
  end
  local url = flow.http().url
  local in_url = url ~= nil and (url:lower():find('[?&]pass[%w_]*=') or url:lower():find('[?&]pwd='))
  if user == nil and not flagged and not in_url then return end
  local what = {}
  if user ~= nil then what[#what + 1] = 'user "' .. user .. '"' end
  if in_url then what[#what + 1] = 'password in the URL' end
  if #what == 0 then what[1] = 'credentials' end
  flow.triggerAlert(100, 'Clear-text credentials over ' .. flow.l7_proto_name() .. ' to ' ..
    flow.srv() .. ':' .. flow.srv_port() .. ': ' .. table.concat(what, ', '))
end

return { hooks = { protocolDetected = check } }
