// Command webbench measures the web app in Debian's chromium
// (docs/benchmarks.md): the JavaScript and CSS each view loads, gzipped;
// the time from navigation to an entity page's evidence, beside the time
// the same data takes from the API alone; and the frames per second while
// a 500-node neighbourhood is dragged, beside the idle page's. It serves
// the API and the app on the seed plus a generated graph, and runs
// bench/web/measure.mjs against it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

func main() {
	g := graphbench.NewGraphFlags(100000, 500000)
	runs := flag.Int("runs", 20, "timed page loads")
	flag.Parse()
	if err := run(g.Entities, g.Claims, *runs, g.Data); err != nil {
		log.Fatal(err)
	}
}

func run(entities, claims, runs int, data string) error {
	ctx := context.Background()
	bench, err := graphbench.Prepare(ctx, data, entities, claims)
	if err != nil {
		return err
	}
	defer bench.Close()
	opt := api.Defaults()
	opt.Limits.RatePerSecond = 0 // measure the pages, not the limiter
	ts := httptest.NewServer(api.Handler(bench.Store, opt))
	defer ts.Close()

	script, err := filepath.Abs("bench/web/measure.mjs")
	if err != nil {
		return err
	}
	chromium := os.Getenv("EXPORTWATCH_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	cmd := exec.CommandContext(ctx, "node", script, ts.URL, records.EntityID(synthetic.EntityOf(1)), fmt.Sprint(runs))
	cmd.Env = append(os.Environ(), "EXPORTWATCH_CHROMIUM="+chromium)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}
