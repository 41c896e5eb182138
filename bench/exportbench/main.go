// Command exportbench measures full exports from a real Neo4j: the seed
// plus a generated graph (by default 200,000 entities and 1,000,000
// claims), written in every format to a file, beside a baseline in the
// same run: the same entities, documents, claims and edges streamed from
// the database and thrown away. It prints the time of each, the ratio to
// the baseline, the output size, the peak live Go heap and the process's
// peak resident memory, which show that an export streams. Run it with
// bench/export.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/export"
	"github.com/exportwatch/exportwatch/graph"
)

func main() {
	g := graphbench.NewGraphFlags(200000, 1000000)
	flag.Parse()
	if err := run(g.Entities, g.Claims, g.Data); err != nil {
		log.Fatal(err)
	}
}

// discard counts what a baseline or format would have written.
type discard struct{ n int64 }

func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

// peakRSS is the process's high-water resident memory (VmHWM).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
		}
	}
	return "?"
}

func run(entities, claims int, data string) error {
	ctx := context.Background()
	bench, err := graphbench.Prepare(ctx, data, entities, claims)
	if err != nil {
		return err
	}
	defer bench.Close()
	store, dir := bench.Store, bench.Dir
	src := export.Graph{Store: store}
	out := filepath.Join(dir, "export.out")
	defer os.Remove(out)

	measure := func(name string, fn func() (export.Stats, int64, error)) (time.Duration, error) {
		runtime.GC()
		stop := graphbench.PeakHeap()
		start := time.Now()
		st, size, err := fn()
		took := time.Since(start)
		peak := stop()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		fmt.Printf("%-9s %8.1f s  %s  %7.1f MiB out  peak heap %5.1f MiB", name, took.Seconds(), st, float64(size)/(1<<20), float64(peak)/(1<<20))
		return took, nil
	}
	base, err := measure("baseline", func() (export.Stats, int64, error) {
		var st export.Stats
		err := store.EachEntity(ctx, nil, func(graph.Entity) error { st.Entities++; return nil })
		if err == nil {
			err = store.EachDocument(ctx, nil, func(graph.Document) error { st.Documents++; return nil })
		}
		if err == nil {
			err = store.EachClaim(ctx, nil, func(graph.Claim) error { st.Claims++; return nil })
		}
		if err == nil {
			err = store.EachEdge(ctx, nil, func(graph.Edge) error { st.Edges++; return nil })
		}
		return st, 0, err
	})
	if err != nil {
		return err
	}
	fmt.Println("  (stream everything, write nothing)")
	for _, f := range export.Formats {
		took, err := measure(string(f), func() (export.Stats, int64, error) {
			if f == export.CSV {
				csvDir := filepath.Join(dir, "csv")
				defer os.RemoveAll(csvDir)
				st, err := export.WriteCSV(ctx, src, csvDir)
				var size int64
				for name := range export.CSVFiles {
					if fi, serr := os.Stat(filepath.Join(csvDir, name)); serr == nil {
						size += fi.Size()
					}
				}
				return st, size, err
			}
			file, err := os.Create(out)
			if err != nil {
				return export.Stats{}, 0, err
			}
			d := &discard{}
			st, err := export.Write(ctx, src, f, io.MultiWriter(file, d))
			if cerr := file.Close(); err == nil {
				err = cerr
			}
			return st, d.n, err
		})
		if err != nil {
			return err
		}
		fmt.Printf("  %.2f× the baseline's time\n", took.Seconds()/base.Seconds())
	}
	fmt.Printf("peak resident memory of this process: %s\n", peakRSS())
	return nil
}
