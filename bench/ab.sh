#!/bin/sh
# A/B: best-of-N cold lint() of the 100k-line config, baseline dist (bench/out/dist-base) vs dist/, interleaved.
N=${N:-5}
for i in $(seq $N); do
  LINT_DIST=bench/out/dist-base node bench/lint-once.mjs | sed 's/^/base /'
  node bench/lint-once.mjs | sed 's/^/new  /'
done | sort | awk '{k=$1; v=$3; if (!(k in best) || v < best[k]) best[k]=v} END {for (k in best) print k, best[k], "ms (best)"}'
