-- Multipart upload workload for wrk: the body is read once from WRK_BODY_FILE (written by
-- bench/src/uploads/bodies.ts), its Content-Type (with the boundary) comes in WRK_CONTENT_TYPE.
local f = assert(io.open(os.getenv("WRK_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")
