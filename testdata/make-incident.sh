#!/usr/bin/env bash
# make-incident.sh records testdata/incident.syscam: a harmless, scripted intrusion that
# stays on loopback and leaves the host as it found it. Run as root from the repository
# root:
#
#	bash testdata/make-incident.sh
#
# What the recording holds, in order (see incident/intrusion.sh):
#   1. a web server on 127.0.0.1 serves stage2.sh; the "victim" downloads it with curl,
#      makes it executable and runs it (download and execute);
#   2. stage2 looks around: id, uname -a, ps, and reads /etc/shadow;
#   3. persistence, in a private mount namespace over tmpfs so nothing on the host
#      changes: a crontab in /etc/cron.d and /root/.ssh/authorized_keys;
#   4. a reverse shell: bash with stdin/stdout on a TCP socket to a local listener,
#      which sends it a couple of commands;
#   5. privilege games: setuid(0) as nobody (fails with EPERM), a ptrace attach to a
#      sleeping process, and an ELF executed from a memfd (fileless execution);
#   6. history tampering: the shell history is truncated.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "make-incident.sh: run as root (the recorder needs it)" >&2; exit 1; }

out=${1:-testdata/incident.syscam}
work=$(mktemp -d /tmp/syscam-incident.XXXXXX)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT

go build -o "$work/record" ./cmd/record
cp testdata/incident/stage2.sh "$work/stage2.sh"

# The web server and the listener run outside the recorded tree: the recording shows
# the victim's side, as a recorder on a compromised host would.
(cd "$work" && exec /usr/bin/python3 -m http.server --bind 127.0.0.1 8765 >/dev/null 2>&1) &
/usr/bin/python3 testdata/incident/listener.py 127.0.0.1 4444 >"$work/listener.log" 2>&1 &
sleep 1

rm -f "$out"
"$work/record" -o "$out" --snaplen 512 --quiet -- bash testdata/incident/intrusion.sh "$work"
echo "recorded $out ($(stat -c %s "$out") bytes)"
