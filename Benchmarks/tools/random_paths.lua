-- wrk script: every request GETs a path chosen at random from the file given after `--`
-- (one path a line), so the server sees the whole set of blobs, not one hot file.
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. tostring(args[1])) end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + #tostring({}))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
