-- Document 003 (Flow Checks), section 4.2 example. The document's text is cut after the
-- comment line: the `end` closing the `if` and the `return(0)` the comment asks for are restored
-- here (as in ntopng's shipped script), since without them the text is not valid Lua.
-- Detects: every flow whose server port is 53 (a demo alert, score 100).
-- Run: flowscope analyze FILE --checks examples/checks/doc003

if(flow.srv_port() == 53) then
   local score   = 100
   local message = "dummy alert message"

   flow.triggerAlert(score, message)
end

 -- IMPORTANT: do not forget this return at the end of the script
return(0)
