#!/usr/bin/env sh
# System tools for `npm run bench` on Debian: wrk (the load generator), valgrind (for --instructions)
# and FastAPI/uvicorn for the optional Python peer. Node peers, Bun and autocannon come from `npm install`.
set -eu
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y wrk valgrind python3-fastapi python3-uvicorn python3-uvloop python3-httptools
