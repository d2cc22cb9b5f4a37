package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/syscam/syscam/report"
)

const followHelp = `
Usage: inspect follow (--fd PID:FD | --conn TUPLE | --file PATH) [flags] FILE...

Reassembles the recorded I/O of one fd, connection or file, in order, like sysdig's
echo_fds and Wireshark's follow stream. Calls that carry on where the previous one
stopped (same fd, same direction, no bytes missing between them) print as one run
under one header with its time, direction, length and number of calls, so a shell
reading one byte per call prints its commands as lines, not one line per byte.

--conn takes the connection's two ends in either order (10.0.0.1:5000->10.0.0.2:80,
[::1]:80 [::1]:5000); when both ends were recorded (a loopback connection) the end
seen first is followed. Directions are "out" (written or
sent by the followed end) and "in" (read or received).

Bytes the recorder did not keep are marked where they belong: a call that moved more
than the snaplen shows "[... N bytes not recorded: cut by the snaplen ...]". --format
raw writes the recorded bytes alone (use --dir to pick one direction, for example
to extract a request or a downloaded file) and lists the gaps on stderr.

A selection that matches no call (a pid, fd, path, connection or --host not in the
trace) is an error, with what the trace holds instead, not an empty output.

Examples:
  inspect follow --conn '127.0.0.1:40000->127.0.0.1:8765' trace.syscam
  inspect follow --fd 1234:3 --format hex trace.syscam
  inspect follow --file /tmp/stage2.sh --format raw --dir out trace.syscam > stage2.sh

` + reportHelp + timeArgHelp

type followFlags struct {
	fd, conn, file, format, dir, host string
}

func runFollow(args []string, stdout, stderr io.Writer) error {
	var o reportFlags
	var ff followFlags
	fs := newFlagSet("follow", followHelp, stdout)
	o.register(fs)
	fs.StringVar(&ff.fd, "fd", "", "follow fd `PID:FD`")
	fs.StringVar(&ff.conn, "conn", "", "follow the connection `TUPLE` (ADDR:PORT->ADDR:PORT)")
	fs.StringVar(&ff.file, "file", "", "follow every fd open on `PATH`")
	fs.StringVar(&ff.format, "format", "text", "output `FORMAT`: "+strings.Join(report.FollowFormats, ", "))
	fs.StringVar(&ff.dir, "dir", "both", "`DIRECTION` to show: in, out or both")
	fs.StringVar(&ff.host, "host", "", "only the host with this `NAME` or machine id")
	files, err := parseReportArgs(fs, "follow", args)
	if err != nil {
		return err
	}
	spec, err := ff.spec()
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	in, out, err := directions(ff.dir)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	fw, err := report.NewFollowWriter(stdout, ff.format, in, out)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	return follow(&o, files, spec, fw, ff.dir, stderr)
}

func follow(o *reportFlags, files []string, spec report.FollowSpec, fw *report.FollowWriter, dir string, stderr io.Writer) error {
	in, err := o.open(files)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	defer report.Close(in.hosts)
	if err := hasHost(in.hosts, spec.Host); err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	f := report.NewFollow(spec, fw.Write)
	err = in.run("follow", stderr, f.Add)
	if cerr := fw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	if why := f.Unmatched(in.hosts); why != "" {
		// An empty result with status 0 reads as "the fd was silent"; most often the
		// selection has a typo, so say so and fail, as tree and fds do for a pid.
		if o.filter != "" || o.from != "" || o.to != "" {
			why += " (among the events -f, --from and --to kept)"
		}
		return fmt.Errorf("follow: %s matched nothing: %s", spec.Flag(), why)
	}
	fmt.Fprintln(stderr, "follow:", fw.Summary())
	if fw.Calls() == 0 && f.Matched() > 0 {
		fmt.Fprintf(stderr, "follow: the %d calls that matched all went the other way (--dir %s)\n", f.Matched(), dir)
	}
	for _, g := range fw.Gaps() {
		fmt.Fprintf(stderr, "follow: gap of %d bytes in the %s stream at offset %d (%s)\n",
			g.Len, dirName(g.Dir), g.Offset, report.FormatTime(g.Time))
	}
	if n := f.PeerEvents(); n > 0 {
		fmt.Fprintf(stderr, "follow: the other end of the connection was recorded too (%d calls, left out)\n", n)
	}
	return nil
}

func (ff *followFlags) spec() (report.FollowSpec, error) {
	spec := report.FollowSpec{Host: ff.host}
	n := 0
	var err error
	if ff.fd != "" {
		n++
		spec.PID, spec.FD, err = report.ParseFD(ff.fd)
		spec.HasFD = true
	}
	if ff.conn != "" && err == nil {
		n++
		spec.Conn, err = report.ParseConn(ff.conn)
		spec.HasConn = true
	}
	if ff.file != "" {
		n++
		spec.File = ff.file
	}
	if err == nil && n != 1 {
		err = errors.New("give exactly one of --fd, --conn and --file")
	}
	return spec, err
}

// hasHost checks that --host names a host of the trace, listing them when not.
func hasHost(hosts []*report.Host, name string) error {
	if name == "" {
		return nil
	}
	var names []string
	for _, h := range hosts {
		if h.Is(name) {
			return nil
		}
		names = append(names, fmt.Sprintf("%s (id %s)", h.Label(), h.ID))
	}
	return fmt.Errorf("--host %q: no such host in the trace; its hosts: %s", name, strings.Join(names, ", "))
}

func directions(s string) (in, out bool, err error) {
	switch s {
	case "both":
		return true, true, nil
	case "in":
		return true, false, nil
	case "out":
		return false, true, nil
	}
	return false, false, fmt.Errorf("--dir %q: want in, out or both", s)
}

func dirName(d report.Direction) string {
	if d == report.Out {
		return "out"
	}
	return "in"
}
