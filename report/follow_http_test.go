package report

import (
	"bytes"
	"net/netip"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFollowReproducesARecordedLoopbackHTTPExchange follows the connection of a real
// recording (testdata/http, made by make-http.sh) and checks it against the bytes the
// server saved: the request exactly, the response exactly where recorded, with the
// snaplen gaps where the rest belongs.
func TestFollowReproducesARecordedLoopbackHTTPExchange(t *testing.T) {
	req, err := os.ReadFile("testdata/http/request.bin")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := os.ReadFile("testdata/http/response.bin")
	if err != nil {
		t.Fatal(err)
	}
	hosts := open(t, "testdata/http/http.syscam")
	conn := findConn(t, hosts, 18765)

	var out []byte
	var in []*Chunk
	f := NewFollow(FollowSpec{Conn: conn, HasConn: true}, func(c *Chunk) error {
		if c.Dir == Out {
			out = append(out, c.Data...)
			return nil
		}
		cc := *c
		cc.Data = bytes.Clone(c.Data)
		in = append(in, &cc)
		return nil
	})
	if err := Run(hosts, Options{}, f.Add); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(req, out); diff != "" {
		t.Errorf("request as sent by curl (-want +got):\n%s", diff)
	}
	var moved, missing int64
	for _, c := range in {
		if c.Offset != moved {
			t.Errorf("chunk at %d, want it at %d: chunks must follow each other", c.Offset, moved)
		}
		if want := resp[c.Offset : c.Offset+int64(len(c.Data))]; !bytes.Equal(want, c.Data) {
			t.Errorf("response bytes at offset %d differ from what the server sent", c.Offset)
		}
		if len(c.Data) > 512 || (c.Missing() > 0 && !c.Cut) {
			t.Errorf("chunk at %d: %d bytes kept, %d missing, cut=%v: want at most the snaplen, gaps from the cut", c.Offset, len(c.Data), c.Missing(), c.Cut)
		}
		moved += c.Len
		missing += c.Missing()
	}
	if moved != int64(len(resp)) || missing == 0 {
		t.Errorf("response: %d bytes moved, %d missing; want %d moved, some cut by the 512-byte snaplen", moved, missing, len(resp))
	}
	if f.PeerEvents() == 0 {
		t.Error("the server's end was recorded too and should have been counted as left out")
	}
}

// findConn returns the recorded connection to a server port, from the stats report.
func findConn(t *testing.T, hosts []*Host, port uint16) [2]netip.AddrPort {
	s := NewStats(hosts)
	if err := Run(hosts, Options{}, s.Add); err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Report(0).Connections {
		server := netip.MustParseAddrPort(c.Server)
		if server.Port() == port {
			return [2]netip.AddrPort{netip.MustParseAddrPort(c.Client), server}
		}
	}
	t.Fatalf("no connection to port %d in the recording", port)
	return [2]netip.AddrPort{}
}
