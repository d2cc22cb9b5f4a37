package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/syscam/syscam/report"
)

const exportHelp = `
Usage: inspect export --format jsonl|csv|parquet -o OUT [flags] FILE...

Writes every event, enriched with its host, process, user and fd, one row per event:
as JSON lines, CSV or Parquet (zstd-compressed, typed columns, evt_time a nanosecond
UTC timestamp). The columns are documented in docs/EXPORT.md; export each host's
capture and query them together with DuckDB, Spark, Trino or ClickHouse:

  SELECT host_name, proc_name, count(*) FROM 'exports/*.parquet' GROUP BY ALL;

The output file is created with mode 0600: it holds what the trace holds. An existing
file is refused unless --force is given (-f is the filter here), and so is one of the
inputs, even with --force. The file appears only once the export is complete: a
failed export leaves none. -o - writes JSON lines or CSV to stdout.

Examples:
  inspect export --format parquet -o web1.parquet /evidence/web1/
  inspect export --format jsonl -o - -f 'evt.type = execve' trace.syscam
  inspect export --format csv -o db1.csv --from 06:14:00 --to +1h db1.syscam

` + reportHelp + timeArgHelp

func runExport(args []string, stdout, stderr io.Writer) error {
	var o reportFlags
	fs := newFlagSet("export", exportHelp, stdout)
	o.register(fs)
	format := fs.String("format", "", "output `FORMAT`: "+strings.Join(report.ExportFormats, ", "))
	out := fs.String("o", "", "output `FILE` (- for stdout, not with parquet)")
	force := fs.Bool("force", false, "overwrite OUT if it exists")
	files, err := parseReportArgs(fs, "export", args)
	if err != nil {
		return err
	}
	if err := checkExportFlags(*format, *out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if *out != "-" {
		if err := refuseOverwrite(*out, files); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if _, err := os.Stat(*out); err == nil && !*force {
			return fmt.Errorf("export: %s exists; use --force to overwrite it", *out)
		}
	}
	in, err := o.open(files)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer report.Close(in.hosts)
	if *out != "-" {
		// A directory given as input stands for the traces in it, which the check
		// above could not see.
		if err := refuseOverwrite(*out, inputNames(in.hosts)); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	n, err := export(in, *format, *out, stdout, stderr)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if *out != "-" {
		fmt.Fprintf(stderr, "export: %d rows written to %s\n", n, *out)
	}
	return nil
}

func checkExportFlags(format, out string) error {
	switch {
	case format == "":
		return errors.New("--format is required: jsonl, csv or parquet")
	case out == "":
		return errors.New("-o is required (- for stdout)")
	case out == "-" && format == "parquet":
		return errors.New("parquet needs a file (-o FILE): its footer is written last")
	}
	return nil
}

func export(in *reportInput, format, out string, stdout, stderr io.Writer) (rows uint64, err error) {
	w := stdout
	if out != "-" {
		// err is the named result: the deferred commit must see how the export ended.
		var f *pendingFile
		f, err = createPending(out)
		if err != nil {
			return 0, err
		}
		defer func() {
			if err != nil {
				f.abort()
			} else {
				err = f.commit()
			}
		}()
		w = f
	}
	x, err := report.NewExporter(w, format)
	if err != nil {
		return 0, err
	}
	err = in.run("export", stderr, x.Add)
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	return x.Rows(), err
}

// inputNames returns the names of the files the hosts were opened from.
func inputNames(hosts []*report.Host) []string {
	var names []string
	for _, h := range hosts {
		for _, f := range h.Files {
			names = append(names, f.Name())
		}
	}
	return names
}
