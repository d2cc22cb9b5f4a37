#!/bin/sh
# mkproc.sh rebuilds testdata/proc, a fake /proc for the snapshot tests, and
# testdata/etc, its passwd and group. Run it from capture/: sh testdata/mkproc.sh
#
# Every file is written as the kernel writes it (see the samples in the comments
# of procfs_*.go); links under fd/, ns/, exe and cwd are dangling symlinks whose
# targets are the text readlink returns. The tree holds:
#   1    systemd: unix listener, netlink, epoll, inotify, signalfd, timerfd
#   2    kthreadd: a kernel thread (no exe, no argv, no fds)
#   100  sshd: TCP listeners on 0.0.0.0:22 and [::]:22, argv rewritten without NULs
#   200  sshd session: the accepted side of 10.0.0.5:22 <- 10.0.0.9:51234, on a tty
#   300  curl: a client connection, an environment with a secret, an unlinked file
#   400  a two-thread process in a docker container, its own pid and net namespaces,
#        a memfd, a pipe, eventfd, pidfd, io_uring, bpf map, userfaultfd, UDP socket
#   500  a comm holding spaces and parentheses
#   600  a status file without its Uid line (a parse error: warned, skipped)
#   700  a process that vanished mid-walk (a directory without its files; the
#        .keep file only makes git keep the directory)
set -eu
cd "$(dirname "$0")"
rm -rf proc etc
mkdir -p proc etc

DOCKER=4f2b9c1d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c

# thread PID TID COMM STATE PPID PGRP SID TTY FLAGS START UID GID NSPID NSTGID CAPEFF
thread() {
	d=proc/$1/task/$2
	mkdir -p "$d"
	printf '%s (%s) %s %s %s %s %s -1 %s 120 0 3 0 5 2 0 0 20 0 1 0 %s 12345678 400 18446744073709551615\n' \
		"$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" >"$d/stat"
	printf 'Name:\t%s\nUmask:\t0022\nState:\t%s (sleeping)\nTgid:\t%s\nNgid:\t0\nPid:\t%s\nPPid:\t%s\nTracerPid:\t0\nUid:\t%s\t%s\t%s\t%s\nGid:\t%s\t%s\t%s\t%s\nFDSize:\t64\nGroups:\t\nNStgid:\t%b\nNSpid:\t%b\nThreads:\t1\nCapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\nCapBnd:\t000001ffffffffff\n' \
		"$3" "$4" "$1" "$2" "$5" "${11}" "${11}" "${11}" "${11}" "${12}" "${12}" "${12}" "${12}" "${14}" "${13}" "${15}" "${15}" >"$d/status"
}

# process PID ARGV(printf format) EXE CWD CGROUP LOGINUID NETNS PIDNS
process() {
	d=proc/$1
	mkdir -p "$d/fd" "$d/fdinfo" "$d/ns"
	printf "$2" >"$d/cmdline"
	[ -n "$3" ] && ln -s "$3" "$d/exe"
	[ -n "$4" ] && ln -s "$4" "$d/cwd"
	printf '12:pids:%s\n0::%s\n' "$5" "$5" >"$d/cgroup"
	printf '%s' "$6" >"$d/loginuid"
	ln -s "net:[$7]" "$d/ns/net"
	ln -s "pid:[$8]" "$d/ns/pid"
	ln -s "mnt:[4026531841]" "$d/ns/mnt"
	if [ "$7" = 4026531840 ]; then ln -s ../netns-host "$d/net"; else ln -s ../netns-$7 "$d/net"; fi
	touch "$d/fd/.keep"
}

# fd PID FD TARGET FLAGS(octal) INO [extra fdinfo lines]
fd() {
	ln -s "$3" "proc/$1/fd/$2"
	printf 'pos:\t0\nflags:\t%s\nmnt_id:\t15\nino:\t%s\n%s' "$4" "$5" "${6:-}" >"proc/$1/fdinfo/$2"
}

printf 'cpu  1 2 3 4 5 6 7 0 0 0\nintr 0\nctxt 1\nbtime 1764223712\nprocesses 700\n' >proc/stat
mkdir -p proc/self
printf '24 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw\n' >proc/self/mountinfo

# Network namespaces: the host's, and the container's (4026532300).
mkdir -p proc/netns-host proc/netns-4026532300
H='  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
{
	echo "$H"
	echo '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3001 1 0000000000000000 100 0 0 10 0'
	echo '   1: 0500000A:0016 0900000A:C802 01 00000000:00000000 02:000A7B2C 00000000     0        0 3003 4 0000000000000000 20 4 30 10 -1'
	echo '   2: 0500000A:9C40 22D8B85D:01BB 01 00000000:00000000 00:00000000 00000000  1000        0 3004 2 0000000000000000 20 4 30 10 -1'
	echo '   3: 0500000A:9C41 22D8B85D:01BB 06 00000000:00000000 03:00001234 00000000     0        0 0 3 0000000000000000'
} >proc/netns-host/tcp
{
	echo '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
	echo '   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3002 1 0000000000000000 100 0 0 10 0'
} >proc/netns-host/tcp6
echo "$H ref pointer drops" >proc/netns-host/udp
{
	echo 'Num       RefCount Protocol Flags    Type St Inode Path'
	echo '0000000011c03699: 00000002 00000000 00010000 0001 01 2001 /run/systemd/private'
	echo '000000007eda4f2f: 00000003 00000000 00000000 0001 03 2003 /run/systemd/private'
	echo '0000000009edab1e: 00000003 00000000 00000000 0001 03 2004'
	echo '00000000c3a1f0e2: 00000002 00000000 00010000 0001 01 2005 @/tmp/.X11-unix/X0'
} >proc/netns-host/unix
{
	echo 'sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode'
	echo '000000003fa58d12 0   1          00000000 0        0        0     2        0        2002'
} >proc/netns-host/netlink
{
	echo "$H"
	echo '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4001 1 0000000000000000 100 0 0 10 0'
} >proc/netns-4026532300/tcp
{
	echo "$H ref pointer drops"
	echo '  123: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4002 2 0000000000000000 0'
} >proc/netns-4026532300/udp

process 1 '/sbin/init\0splash\0' /usr/lib/systemd/systemd / /init.scope 4294967295 4026531840 4026531836
thread 1 1 systemd S 0 1 1 0 4194560 2 0 0 1 1 000001ffffffffff
fd 1 0 /var/lib/syscam-fake/state 0100002 5
fd 1 3 'anon_inode:[eventpoll]' 02000002 1038 'tfd:        4 events:       19 data:                4  pos:0 ino:411 sdev:e\n'
fd 1 4 'socket:[2001]' 02000002 2001
fd 1 5 'anon_inode:inotify' 02004000 1038 'inotify wd:1 ino:7 sdev:fe00001 mask:fc6 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:07000000e9c8c5a0\n'
fd 1 6 'anon_inode:[signalfd]' 02004002 1038 'sigmask:\t0000000000014a02\n'
fd 1 7 'anon_inode:[timerfd]' 02004002 1038 'clockid: 1\nticks: 0\n'
fd 1 8 'socket:[2002]' 02004002 2002
fd 1 9 'socket:[2003]' 02004002 2003

process 2 '' '' '' / 4294967295 4026531840 4026531836
thread 2 2 kthreadd S 0 0 0 0 2129984 2 0 0 2 2 000001ffffffffff

process 100 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' /usr/sbin/sshd / /system.slice/ssh.service 4294967295 4026531840 4026531836
thread 100 100 sshd S 1 100 100 0 4194560 812 0 0 100 100 000001ffffffffff
fd 100 3 'socket:[3001]' 02000002 3001
fd 100 4 'socket:[3002]' 02000002 3002

process 200 'sshd: alice [priv]\0' /usr/sbin/sshd /home/alice /user.slice/user-1000.slice/session-3.scope 1000 4026531840 4026531836
thread 200 200 sshd S 100 200 200 34816 4194560 90210 1000 1000 200 200 0000000000000000
fd 200 3 'socket:[3003]' 02004002 3003
fd 200 4 'socket:[2004]' 02004002 2004

process 300 'curl\0-s\0https://example.com/\0' /usr/bin/curl /home/alice /user.slice/user-1000.slice/session-3.scope 1000 4026531840 4026531836
thread 300 300 curl R 200 300 200 34816 4194304 91000 1000 1000 300 300 0000000000000000
printf 'HOME=/home/alice\0API_TOKEN=hunter2\0' >proc/300/environ
fd 300 3 'socket:[3004]' 02004002 3004
fd 300 4 '/home/alice/.cache/x.tmp (deleted)' 0100002 77001

process 400 '/usr/bin/payload\0--serve\0' '/usr/bin/payload (deleted)' /srv "/system.slice/docker-$DOCKER.scope" 4294967295 4026532300 4026532301
thread 400 400 payload S 380 400 400 0 4194560 95000 0 0 '400\t1' '400\t1' 00000000a80425fb
thread 400 401 worker S 380 400 400 0 4194624 95002 0 0 '401\t2' '400\t1' 00000000a80425fb
fd 400 0 'pipe:[5001]' 00 5001
fd 400 3 '/memfd:payload (deleted)' 02000002 5002
fd 400 4 'anon_inode:[eventfd]' 02000002 1038 'eventfd-count:                0\neventfd-id: 1\n'
fd 400 5 'anon_inode:[pidfd]' 02000002 1038 'Pid:\t401\nNSpid:\t401\t2\n'
fd 400 6 'anon_inode:[io_uring]' 02000002 1038
fd 400 7 'anon_inode:bpf-map' 02000002 1038 'map_type:\t1\nkey_size:\t4\n'
fd 400 8 'anon_inode:[userfaultfd]' 02000002 1038
fd 400 9 'socket:[4001]' 02000002 4001
fd 400 10 'socket:[4002]' 02004002 4002
fd 400 11 'socket:[4999]' 02000002 4999
fd 400 12 'net:[4026531840]' 0100000 4026531840

process 500 'weird\0' /usr/bin/weird / /system.slice/weird.service 4294967295 4026531840 4026531836
thread 500 500 'a) b (c' S 1 500 500 0 4194560 99000 0 0 500 500 0000000000000000

process 600 'broken\0' /usr/bin/broken / /system.slice/broken.service 4294967295 4026531840 4026531836
thread 600 600 broken S 1 600 600 0 4194560 99100 0 0 600 600 0000000000000000
sed -i '/^Uid:/d' proc/600/task/600/status

# A process running with a saved set-user-id of 0, and one with inheritable capabilities.
sed -i 's/^Uid:.*/Uid:\t1000\t1000\t0\t1000/' proc/300/task/300/status
sed -i 's/^CapInh:.*/CapInh:\t0000000000000400/' proc/400/task/400/status proc/400/task/401/status

mkdir -p proc/700 && : >proc/700/.keep

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/bash
# a comment
sshd:x:105:65534::/run/sshd:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh
broken line without colons
+nis
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
sudo:x:27:alice
alice:x:1000:
GROUP
