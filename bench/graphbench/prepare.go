package graphbench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/graph/launcher"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
	"github.com/exportwatch/exportwatch/seed"
)

// GraphFlags are the flags every benchmark program reads its graph's size
// and place from: -entities and -claims (the defaults given), and -data.
type GraphFlags struct {
	Entities, Claims int
	Data             string
}

// NewGraphFlags registers the flags on the command line's flag set; read
// them after flag.Parse.
func NewGraphFlags(entities, claims int) *GraphFlags {
	g := &GraphFlags{}
	flag.IntVar(&g.Entities, "entities", entities, "generated entities")
	flag.IntVar(&g.Claims, "claims", claims, "generated claims")
	flag.StringVar(&g.Data, "data", "", "keep the database in this directory and reuse it on the next run with the same size (default: a temporary one)")
	return g
}

// Prepared is a bundled Neo4j holding a benchmark graph.
type Prepared struct {
	Server *launcher.Server
	Store  *graph.Store
	// Dir is the data directory; files a benchmark writes can go there.
	Dir  string
	temp bool
}

// Close closes the store, stops the server and removes a temporary data
// directory.
func (p *Prepared) Close() {
	p.Store.Close(context.Background())
	p.Server.Stop(context.Background())
	if p.temp {
		os.RemoveAll(p.Dir)
	}
}

// Prepare starts the bundled Neo4j on dir and loads the seed plus a
// generated graph of the given size through the real loader, unless dir
// already holds a graph of that size (a marker file says what it holds),
// so benchmark programs can reuse a loaded database between runs. An
// empty dir means a temporary one, removed by Close.
func Prepare(ctx context.Context, dir string, entities, claims int) (*Prepared, error) {
	temp := dir == ""
	if temp {
		var err error
		if dir, err = os.MkdirTemp("", "exportwatch-bench-"); err != nil {
			return nil, err
		}
	}
	p, err := prepare(ctx, dir, entities, claims)
	if err != nil {
		if temp {
			os.RemoveAll(dir)
		}
		return nil, err
	}
	p.temp = temp
	return p, nil
}

func prepare(ctx context.Context, dir string, entities, claims int) (*Prepared, error) {
	marker, size := filepath.Join(dir, "graphbench-loaded"), fmt.Sprintf("%d entities, %d claims\n", entities, claims)
	loaded, _ := os.ReadFile(marker)
	srv, err := graphtest.StartBundled(ctx, dir)
	if err != nil {
		return nil, err
	}
	store, err := graph.Open(ctx, graph.Options{URI: srv.URI(), Timeout: 30 * time.Second})
	if err == nil {
		err = store.EnsureSchema(ctx)
	}
	if err == nil {
		if string(loaded) == size {
			fmt.Fprintf(os.Stderr, "reusing the graph in %s (%s)\n", dir, strings.TrimSpace(size))
		} else if err = loadGraph(ctx, store, dir, entities, claims); err == nil {
			err = os.WriteFile(marker, []byte(size), 0o644)
		}
	}
	if err != nil {
		srv.Stop(context.Background())
		return nil, err
	}
	return &Prepared{Server: srv, Store: store, Dir: dir}, nil
}

// loadGraph loads the seed and a generated graph of the given size.
func loadGraph(ctx context.Context, store *graph.Store, dir string, entities, claims int) error {
	seedFile, genFile := filepath.Join(dir, "seed.jsonl"), filepath.Join(dir, "gen.jsonl")
	if err := records.WriteFile(seedFile, seed.Write); err != nil {
		return err
	}
	if err := records.WriteFile(genFile, func(w io.Writer) error {
		return synthetic.Write(w, synthetic.Size{Claims: claims, Entities: entities, Seed: 3})
	}); err != nil {
		return err
	}
	for _, f := range []string{seedFile, genFile} {
		start := time.Now()
		sum, err := load.File(ctx, store, f, load.Options{BatchSize: 1000})
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "loaded %d claims, %d entities in %s\n", sum.Claims.Written, sum.Entities.Written, time.Since(start).Round(time.Second))
	}
	return nil
}
