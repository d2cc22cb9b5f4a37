#!/bin/bash
# figures.sh runs the benchmarks behind the issues' speed targets, one after another,
# and prints their result lines. Run it on a quiet machine (nothing else busy): the
# machine is small and wall-clock figures follow its load. Each benchmark also reports
# CPU time per event (getrusage), which load disturbs less.
#
#   bash bench/figures.sh            # everything but the recorder (about 5 minutes)
#   ROUNDS=3 bash bench/figures.sh   # repeat the end-to-end runs
#
# The recorder's overhead is measured by bench/overhead (root; see its -h).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-2}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for p in format query report state rules; do
	go test -c -o "$bin/$p.test" "./$p/"
done
run() { # package, then test flags; runs in the package's folder, as go test does
	local p=$1
	shift
	(cd "$p" && "$bin/$p.test" -test.run '^$' "$@" | grep '^Bench')
}
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## format: write, read, decode (issue 2)"
run format -test.bench 'Write/|BuildBlock|DecodeBlock|HandOver' -test.benchtime 2000000x
run format -test.bench 'CompressBlock' -test.benchtime 2s # one op is a block
run format -test.bench 'Read/' -test.benchtime 5x
run format -test.bench 'ZstdSettings' -test.benchtime 5x # size against zstd's decode time
echo "## query: parse, evaluate (issue 5)"
run query -test.bench 'Parse|Eval' -test.benchtime 2s
echo "## state: replay (issue 4)"
(export GOGC=400; run state -test.bench "Apply" -test.benchtime 5000000x)
echo "## rules (issue 6)"
run rules -test.bench 'Match' -test.benchtime 400000x
for i in $(seq "$rounds"); do
	echo "## end to end on 10 M events, round $i (issues 5 and 8)"
	run query -test.bench 'Scan' -test.benchtime 1x
	run report -test.bench 'Read|Replay|Stats|Timeline' -test.benchtime 1x
done
