-- wrk script: call a server function as a signed-in member (token passed after `--`).
function init(args)
  wrk.method = "POST"
  wrk.body = ""
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "application/json"
  wrk.headers["Cookie"] = "plaza_session=" .. args[1]
end
