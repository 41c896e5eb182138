package api

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// GCPercent is the garbage collector's target in a process serving the
// API, where GOGC does not set one. An answer is built of many short-lived
// objects (the driver's records, the models, gqlgen's field contexts) and
// little of it stays live, so at Go's default of 100 the collector ran
// after every few requests and took about a seventh of the process's CPU.
// At 400 a request cost up to a third less CPU (a quarter less for the
// suppliers of a country; search, an entity and paths about the same),
// which the cores Neo4j shares turn into throughput under load (docs/benchmarks.md, "The garbage collector's
// target"). The price is memory: the heap may grow to five times what is
// live (the response cache's 64 MiB among it) before a collection.
const GCPercent = 400

// TuneGC sets the garbage collector's target: GOGC when it is set (a
// percentage, or off), GCPercent otherwise. It applies GOGC itself because
// a GOGC from .env reaches the environment after the runtime has read it.
// Call it in a process that serves, and in the benchmarks that measure the
// API as served, before serving and after any bulk load: a bulk load keeps
// far more live, and five times that is too much. (The seed and the loads
// serve runs on a schedule, one scrape's records each, are small.)
func TuneGC() error {
	percent := GCPercent
	if v := strings.TrimSpace(os.Getenv("GOGC")); v != "" {
		p, err := strconv.Atoi(v)
		switch {
		case strings.EqualFold(v, "off"):
			p = -1
		case err != nil || p < 0:
			return fmt.Errorf("GOGC=%q: want a percentage (100 is Go's default) or off", v)
		}
		percent = p
	}
	debug.SetGCPercent(percent)
	return nil
}
