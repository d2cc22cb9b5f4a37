package scap

import (
	"strings"

	"github.com/syscam/syscam/event"
)

// conv says how one scap parameter becomes a syscam parameter.
type conv uint8

const (
	cvSkip      conv = iota
	cvRet            // the return value: Event.Ret
	cvInt            // fixed-size integer, sign-extended when its scap type is signed
	cvFD             // fd; old drivers wrote -1 as 0x00000000FFFFFFFF
	cvStr            // NUL-terminated text, stored without its NUL
	cvBytes          // raw bytes (I/O data, NUL-separated lists)
	cvSockaddr       // PT_SOCKADDR → syscam sockaddr
	cvTuple          // PT_SOCKTUPLE → local and remote sockaddrs
	cvTuplePeer      // PT_SOCKTUPLE → the peer's sockaddr only
	cvDynBytes       // PT_DYN payload as bytes
	cvFDListLen      // PT_FDLIST → the number of fds
	cvOpenFlags
	cvCloneFlags
	cvProt
	cvMmapFlags
	cvResolve
	cvIOUringSetup
	cvExecveatFlags
	cvFcntlCmd
	cvPtraceReq
	cvSockoptLevel
)

// slot maps one scap parameter: conversion, syscam parameter index (and a second one
// for the remote end of a tuple), and the scap type it comes from.
type slot struct {
	cv        conv
	dst, dst2 int8
	typ       ptType
}

// planKind selects the finishing step that some event families need beyond the
// parameter slots.
type planKind uint8

const (
	pkNone      planKind = iota // no syscam mapping: the event is counted as unmapped
	pkPlain                     // parameters only
	pkGeneric                   // scap's generic syscall event: the type is the native id
	pkClone                     // clone/fork/vfork/clone3: also a procfork event
	pkExecve                    // execve/execveat: argv, exepath, credentials
	pkProcExit                  // procexit: status decoding, thread removal
	pkContainer                 // container events → containerinfo
	pkNotice                    // notification → notice
)

// plan is how one scap event id maps into syscam's model.
type plan struct {
	kind    planKind
	typ     event.Type
	inbound bool // socket tuples name the peer first (accept, recv*)
	slots   []slot
	// connect: the addr parameter and the remote parameter that stands in for it.
	addr, addrFromRemote int
}

// plans holds one plan per scap event id; built once, never modified.
var plans = buildPlans()

func buildPlans() []plan {
	out := make([]plan, len(evTable))
	for id := range evTable {
		out[id] = buildPlan(uint16(id))
	}
	return out
}

// typeRenames maps scap event names to syscam type names where they differ.
var typeRenames = map[string]string{
	"send": "sendto", "recv": "recvfrom", "pread": "pread64", "pwrite": "pwrite64",
	"mmap2": "mmap", "llseek": "lseek", "umount": "umount2", "prlimit": "prlimit64",
	"stat64": "stat", "lstat64": "lstat", "fstat64": "fstat", "useradded": "userinfo",
	"groupadded": "groupinfo", "container": "containerinfo", "notification": "notice",
}

// unmappedNames are scap events with no counterpart in syscam, including two whose
// names collide with syscam types of another meaning (scap's procinfo is CPU usage,
// its drop is the sampling mode switch).
var unmappedNames = map[string]bool{
	"procinfo": true, "drop": true, "switch": true, "signaldeliver": true,
	"page_fault": true, "cpu_hotplug": true, "infra": true, "k8s": true, "mesos": true,
	"tracer": true, "pluginevent": true, "asyncevent": true, "scapevent": true,
	"userdeleted": true, "groupdeleted": true, "NA": true,
}

// accept4 ids: scap names both accept and accept4 "accept" in old tables.
var accept4IDs = map[uint16]bool{56: true, 57: true, 248: true, 249: true, 388: true, 389: true}

func buildPlan(id uint16) plan {
	info := &evTable[id]
	if info.flags&efUnused != 0 || unmappedNames[info.name] || strings.HasPrefix(info.name, "task") {
		return plan{}
	}
	name := info.name
	if r, ok := typeRenames[name]; ok {
		name = r
	}
	if accept4IDs[id] {
		name = "accept4"
	}
	p := plan{kind: pkPlain, addr: -1, addrFromRemote: -1}
	switch name {
	case "syscall":
		return plan{kind: pkGeneric}
	case "clone", "fork", "vfork", "clone3":
		p.kind = pkClone
	case "execve", "execveat":
		p.kind = pkExecve
	case "procexit":
		p.kind = pkProcExit
	case "containerinfo":
		p.kind = pkContainer
	case "notice":
		p.kind = pkNotice
	}
	t, ok := event.ByName(name)
	if !ok {
		return plan{}
	}
	p.typ = t
	p.inbound = name == "accept" || name == "accept4" || name == "recvfrom" || name == "recvmsg" || name == "recvmmsg"
	if p.kind != pkContainer && p.kind != pkNotice {
		p.slots = buildSlots(id, info, event.Lookup(t))
	}
	if name == "connect" {
		p.addr, p.addrFromRemote = event.Lookup(t).ParamIndex("addr"), event.Lookup(t).ParamIndex("remote")
	}
	return p
}
