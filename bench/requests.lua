-- wrk script: replay a list of logged-in requests, each with its own session cookie.
--
-- wrk -s bench/requests.lua URL -- REQUESTS_FILE
-- The file holds one request a line, tab-separated:
--   method, path, content type, session cookie, CSRF token, body
-- (empty fields are left out). Cookies are signed with the server's secret by bench/run.py
-- through the app's own session interface, so no request logs in. Every request is formatted
-- once, at start-up; each thread starts at its own place in the list and walks through it.
-- When wrk stops, the figures are printed as one JSON line for bench/run.py to read.

local requests = {}
local position = 0
local threads = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  for line in io.lines(args[1]) do
    local f = split(line)
    local headers = {}
    if f[3] ~= "" then headers["Content-Type"] = f[3] end
    if f[4] ~= "" then headers["Cookie"] = "session=" .. f[4] end
    if f[5] ~= "" then headers["X-CSRFToken"] = f[5] end
    local body = nil
    if f[6] ~= nil and f[6] ~= "" then body = f[6] end
    requests[#requests + 1] = wrk.format(f[1], f[2], headers, body)
  end
  position = ((number or 0) * 7919) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
