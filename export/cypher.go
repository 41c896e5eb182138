package export

import (
	"context"
	"io"

	"github.com/exportwatch/exportwatch/graph"
)

// writeCypher streams src as a Cypher script (graph.Script) that recreates
// it in another Neo4j: entities and documents first, then the claims that
// link them, then the direct edges.
func writeCypher(ctx context.Context, src Source, out io.Writer) (Stats, error) {
	var st Stats
	s := graph.NewScript(out)
	err := src.EachEntity(ctx, func(e graph.Entity) error { st.Entities++; return s.Entity(e) })
	if err == nil {
		err = src.EachDocument(ctx, func(d graph.Document) error { st.Documents++; return s.Document(d) })
	}
	if err == nil {
		err = src.EachClaim(ctx, func(c graph.Claim) error { st.Claims++; return s.Claim(c) })
	}
	if err == nil {
		err = src.EachEdge(ctx, func(e graph.Edge) error { st.Edges++; return s.Edge(e) })
	}
	if err != nil {
		return st, err
	}
	return st, s.Close()
}
