package graphbench

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// The search text and the country the representative queries ask about;
// their Cypher twins and the store's own calls must ask the same.
const (
	APISearch  = "Vendor 1234"
	APICountry = "AZ"
)

// APIQuery is one of the API's representative GraphQL queries as a client
// sends it.
type APIQuery struct {
	// Field is the query's one top-level field; it also names the query.
	Field string
	Text  string
}

// APIQueries returns the six representative GraphQL queries, in the order
// of their twins in APIBaselines. The API benchmark times them one at a
// time and the load test sends them from many clients at once, so both
// measure the same requests. vendor and ministry are APITargets'.
func APIQueries(vendor, ministry string) []APIQuery {
	return []APIQuery{
		{"search", fmt.Sprintf(`{ search(query: %q, first: 10) { score entity { id name } } }`, APISearch)},
		{"entity", fmt.Sprintf(`{ entity(id: %q) { name claims { relation status subject { name } object { name } evidence { quote document { url publisher } } } } }`, vendor)},
		{"suppliers", SuppliersQuery(APICountry)},
		{"buyers", fmt.Sprintf(`{ buyers(of: %q) { to { name } status claims { id evidence { quote document { url } } } } }`, vendor)},
		{"paths", fmt.Sprintf(`{ paths(from: %q, to: %q, maxHops: 4) { nodes { name } hops { relation claims { id evidence { quote document { url } } } } } }`, vendor, ministry)},
		{"neighbourhood", NeighbourhoodQuery(vendor, 2)},
	}
}

// SuppliersQuery asks who supplied of (an entity, or a country's code),
// with the claims and evidence of each transfer: APIQueries' suppliers,
// and the peer benchmark's for a buyer too.
func SuppliersQuery(of string) string {
	return fmt.Sprintf(`{ suppliers(of: %q) { from { name } to { name } status claims { id evidence { quote document { url } } } } }`, of)
}

// NeighbourhoodQuery asks for the 50 entities nearest id within depth
// hops and the edges among them: APIQueries' at depth 2, and the peer
// benchmark's at depths 1 and 2.
func NeighbourhoodQuery(id string, depth int) string {
	return fmt.Sprintf(`{ neighbourhood(id: %q, depth: %d, limit: 50) { nodes { id name } edges { relation status from { id } to { id } } } }`, id, depth)
}

// APITargets returns the entities the representative queries ask about on
// a prepared graph: the first generated vendor, and the first ministry
// three edges from it and no nearer, so that paths has routes to return.
func APITargets(ctx context.Context, driver neo4j.DriverWithContext) (vendor, ministry string, err error) {
	vendor = records.EntityID(synthetic.EntityOf(1))
	ministry, err = FarEntity(ctx, driver, vendor, records.SchemaPublicBody, 3)
	if err != nil {
		return "", "", fmt.Errorf("a ministry for the paths query: %w", err)
	}
	return vendor, ministry, nil
}
