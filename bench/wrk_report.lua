-- wrk script for Tandem's benchmark.
-- With WRK_BODY set, every request is a form POST of that body: "{n}" in it becomes a fresh
-- number each request and "{flip}" alternates 1 and 0 (tick, untick). Without it, wrk's GET.
-- At the end it prints one JSON line: requests per second and latency percentiles in ms.
local body_template = os.getenv("WRK_BODY")
local counter = 0
math.randomseed(os.time())
local prefix = tostring(math.random(1, 1000000000))

if body_template then
  request = function()
    counter = counter + 1
    local body = body_template:gsub("{n}", prefix .. "-" .. counter):gsub("{flip}", tostring(counter % 2))
    return wrk.format("POST", nil, nil, body)
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
