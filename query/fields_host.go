package query

// hostFields name the recorded machine. They come from the header of the file that
// holds the event, so in a merge of several hosts' recordings each event carries its
// own host.
func hostFields() []*Field {
	return []*Field{
		strField("host.name", "host name of the machine that recorded the event (from its trace's header); same as evt.hostname", func(in *Input) (string, bool) { return in.Hostname, in.Hostname != "" }),
		strField("host.id", "machine id (/etc/machine-id) of the machine that recorded the event, from its trace's header; absent when not recorded", func(in *Input) (string, bool) { return in.HostID, in.HostID != "" }),
	}
}
