package api

import (
	"os"
	"runtime/debug"
)

// GCPercent is the garbage collector's target in a process serving the
// API, where GOGC does not set one. An answer is built of many short-lived
// objects (the driver's records, the models, gqlgen's field contexts) and
// little of it stays live, so at Go's default of 100 the collector ran
// after every few requests and took about a seventh of the process's CPU.
// At 400 the larger answers cost a fifth to a third less CPU (the small
// ones the same), which the cores Neo4j shares turn into throughput under
// load (docs/benchmarks.md, "The garbage collector's target"). The price
// is memory: the heap may grow to five times what is live (the response
// cache's 64 MiB among it) before a collection.
const GCPercent = 400

// TuneGC sets the garbage collector's target to GCPercent unless GOGC is
// set, so an operator's choice wins. Call it in a process that serves (and
// in the benchmarks that measure the API as served) once its large loads
// are done: a load keeps much more live, and five times that is too much.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}
