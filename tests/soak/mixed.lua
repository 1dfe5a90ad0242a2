-- Mixed traffic for `make soak`: nine requests in ten read (series, their
-- pages and charts, lists, a page of facts), the rest write: a fact saved
-- through the API, a bid replaced.  TOKEN and SLUG come from the
-- environment; PLACES and VARIABLES are the demo data's slugs.
local token = os.getenv("TOKEN")
local slug = os.getenv("SLUG")
local places = { "norway", "afghanistan", "argentina", "australia", "india", "brazil" }
local variables = { "population", "life-expectancy", "fertility-rate" }
local reads = {
	function(p, v) return "/api/v1/series/" .. p .. "/" .. v end,
	function(p, v) return "/series/" .. p .. "/" .. v end,
	function(p, v) return "/charts/" .. p .. "/" .. v .. ".svg" end,
	function(p, v) return "/places/" .. p end,
	function(p, v) return "/api/v1/facts?place=" .. p .. "&limit=100" end,
	function(p, v) return "/api/v1/places?limit=50" end,
	function(p, v) return "/changes" end,
	function(p, v) return "/" end,
}
math.randomseed(os.time() + math.floor(os.clock() * 1000000))

request = function()
	local r = math.random()
	local p = places[math.random(#places)]
	local v = variables[math.random(#variables)]
	if r < 0.9 then
		return wrk.format("GET", reads[math.random(#reads)](p, v))
	end
	local h = { ["authorization"] = "Bearer " .. token,
	    ["content-type"] = "application/json" }
	if r < 0.95 then
		return wrk.format("POST", "/api/v1/facts", h, string.format(
		    '{"place":"soak","variable":"soak-v","year":%d,"value":"%d.%02d","source":"https://example.org/soak"}',
		    math.random(1, 9999), math.random(0, 999999), math.random(0, 99)))
	end
	return wrk.format("PUT", "/api/v1/proposals/" .. slug .. "/bid", h,
	    string.format('{"bid":"%d.%02d"}', math.random(-500, 500), math.random(0, 99)))
end
