package capture

// The eBPF programs are compiled by bpf2go (pinned in go.mod's tool directive) with
// Debian's clang; the generated syscam_x86_bpfel.go and .o are committed so that a
// build needs no clang.
//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -mcpu=v3 -D__TARGET_ARCH_x86" -target amd64 -type rec_hdr -type blob_hdr -type spec -type exec_info -type tuple_inet -type dropcnt syscam bpf/syscam.bpf.c -- -I./bpf
