-- wrk script: each request is one phone syncing one new response (a fresh
-- id each time), as 200 phones at a district office would.
--
--   SERVICE_ID=<uuid of a service> wrk -t2 -c200 -d30s --latency \
--     -s scripts/load/one-response.lua http://127.0.0.1:3000
--
-- Counts answers that are not 200 or whose result is not "accepted".

local service = os.getenv("SERVICE_ID") or error("set SERVICE_ID")
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  refused = 0
  math.randomseed(os.time() * 1000 + tid)
end

local function uuid4()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = (t[7] % 16) + 64   -- version 4
  t[9] = (t[9] % 64) + 128  -- variant 10
  local h = {}
  for i = 1, 16 do h[i] = string.format("%02x", t[i]) end
  return table.concat(h, "", 1, 4) .. "-" .. table.concat(h, "", 5, 6) .. "-" ..
         table.concat(h, "", 7, 8) .. "-" .. table.concat(h, "", 9, 10) .. "-" ..
         table.concat(h, "", 11, 16)
end

-- Answered now (UTC), as a phone that is online sends it.
local answered = os.date("!%Y-%m-%dT%H:%M:%SZ")

function request()
  counter = counter + 1
  local score = (counter % 4) + 1
  local body = string.format(
    '{"responses":[{"id":"%s","service_id":"%s","questionnaire_id":"skm-2017",' ..
    '"questionnaire_version":1,"answered_at":"%s","channel":"phone",' ..
    '"device_id":"%s",' ..
    '"scores":{"U1":%d,"U2":%d,"U3":4,"U4":3,"U5":%d,"U6":3,"U7":4,"U8":3,"U9":%d}}]}',
    uuid4(), service, answered, uuid4(), score, 5 - score, score, 5 - score)
  return wrk.format("POST", "/api/v1/responses", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"accepted"', 1, true) then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("refused") or 0) end
  io.write(string.format("not accepted: %d of %d\n", total, summary.requests))
  io.write(string.format("accepted per second: %.0f\n",
    (summary.requests - total) / (summary.duration / 1e6)))
end
