-- wrk script: POSTs the file named by $ENVELOPE as a SOAP request, the same bytes every time
-- (the envelope `outbound send` would send: `outbound envelope --notifications N > FILE`).
--   ENVELOPE=one.xml wrk -t1 -c32 -d3s -s bench/post_file.lua http://127.0.0.1:PORT/ack
local name = os.getenv("ENVELOPE")
local f = assert(io.open(name or "", "rb"), "post_file.lua: set ENVELOPE to an envelope file")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["SOAPAction"] = '""'
