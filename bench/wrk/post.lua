-- POST workload for wrk. The harness passes the JSON payload in WRK_BODY so that the payload has a
-- single source of truth (bench/src/workloads.ts).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
