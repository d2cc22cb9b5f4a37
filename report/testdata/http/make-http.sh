#!/bin/sh
# make-http.sh records http.syscam: a loopback HTTP exchange between a one-shot Python
# server (server.py, which saves the request it reads to request.bin and answers with
# response.bin) and curl, both in the recorded tree, with a 512-byte snaplen so the
# 3081-byte response is cut. report's follow test checks the recording against the two
# .bin files. Run as root from this directory, with the recorder built from the
# repository: go build -o /tmp/record ./cmd/record && sh make-http.sh /tmp/record
set -eu
record=${1:?usage: make-http.sh PATH-TO-RECORD}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp server.py "$work/"
cat >"$work/run.sh" <<'RUN'
cd "$(dirname "$0")"
python3 server.py 18765 &
while [ ! -e ready ]; do sleep 0.05; done
curl -s -o download.bin http://127.0.0.1:18765/payload
wait
RUN
"$record" -o "$work/http.syscam" --snaplen 512 --quiet -- sh "$work/run.sh"
cp "$work/http.syscam" "$work/request.bin" "$work/response.bin" .
