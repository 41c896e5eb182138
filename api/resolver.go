package api

import (
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/schedule"
)

// Resolver is the root of the GraphQL resolvers. Resolvers stay thin: each
// asks graph.Store one question and converts the answer (convert.go);
// nested entities go through the per-request loaders (loaders.go).
type Resolver struct {
	Store *graph.Store
	// MaxPage bounds every list argument (first, limit).
	MaxPage int
	// Evidence fetches the pages editors cite; nil refuses claims whose
	// quotes would need it.
	Evidence *evidence.Checker
	// Schedule is the scheduled scrapes the server runs; nil for none.
	Schedule *schedule.Scheduler
}
