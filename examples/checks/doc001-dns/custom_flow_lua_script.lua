-- Document 001 (flow.* API reference), section 8 example, as printed.
-- Detects: DNS responses larger than 512 bytes with NOERROR (possible DNS tunnelling), score 50.
-- Run: flowscope analyze FILE --checks examples/checks/doc001-dns

-- Detect large DNS responses (possible DNS tunneling)
local dns = flow.dns()
if dns and dns.last_return_code == 0 then
    local srv2cli = flow.srv2cli_bytes()
    if srv2cli > 512 then
        flow.triggerAlert(50, "Large DNS response: " .. tostring(srv2cli) .. " bytes")
    end
end
