package roundtrip_test

import (
	"context"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// TestGLEIF reads one company by LEI, walking up to its ultimate parent
// (the mirror refusing the first request with a 429); the records load,
// and the chain child → parent → ultimate parent can be walked in the
// graph with evidence at each step.
func TestGLEIF(t *testing.T) {
	const (
		child    = "5493001KJTIIGC8Y1R12" // Example Networks Inc.
		parent   = "254900OPPU84GM83MG36" // Example Holdings LLC
		ultimate = "549300GKFG0RYRRQ1K94" // Example Capital Partners, L.P.
	)
	srv, _ := scrapertest.GLEIF(t, true)
	s, _, problems := trip(t, gleif.Source, srv.URL, false, "--lei", child)
	if len(problems) != 0 {
		t.Fatalf("problems: %q", problems)
	}
	ctx := context.Background()
	id := func(lei string) string { return "company:lei:" + strings.ToLower(lei) }
	paths, err := s.ShortestPaths(ctx, id(child), id(ultimate), []string{"SUBSIDIARY_OF"}, 3, "", true, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no SUBSIDIARY_OF path from the child to the ultimate parent")
	}
	cs, err := s.ClaimsOf(ctx, id(child))
	if err != nil {
		t.Fatal(err)
	}
	var direct bool
	for _, c := range cs {
		if c.Relation == "SUBSIDIARY_OF" && c.Object == id(parent) {
			direct = c.Status == "documented" && c.Start == "2017-09-01" && c.Role == "direct accounting consolidation" &&
				len(c.Evidence) == 1 && strings.Contains(c.Evidence[0].Paraphrase, "IS_DIRECTLY_CONSOLIDATED_BY") &&
				c.Evidence[0].Document.SHA256 != "" && c.Evidence[0].Document.Archive != ""
		}
	}
	if !direct {
		t.Errorf("the direct parent claim of the child: %+v", cs)
	}
	e, err := s.Entity(ctx, id(child))
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Example Networks Inc." || e.Country != "CA" || e.Identifiers["registry"] != "RA000072/1234567" ||
		!strings.Contains(strings.Join(e.Aliases, "|"), "Example Packet Systems Ltd.") {
		t.Errorf("child entity: %+v", e)
	}
	u, err := s.Entity(ctx, id(ultimate))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.Description, "reporting exception for the direct parent: NATURAL_PERSONS") {
		t.Errorf("the ultimate parent's exception is not recorded: %q", u.Description)
	}
	if claims, err := s.ClaimsOf(ctx, id(ultimate)); err != nil || len(claims) != 3 {
		t.Errorf("an exception became a claim, or a claim is missing: %d claims, %v", len(claims), err)
	}
}
