package usaspending_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/usaspending"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// mirror answers like api.usaspending.gov: the search by POST, paged by
// the request's "page"; award pages by id. loop makes the search ignore
// the page asked for.
func mirror(t *testing.T, loop bool) (*httptest.Server, *[]map[string]any) {
	t.Helper()
	var searches []map[string]any
	awards := map[string]string{
		"CONT_AWD_70CMSD21C00000042_7012_-NONE-_-NONE-": "award-verint.json",
		"CONT_AWD_70CMSD21P00000077_7012_-NONE-_-NONE-": "award-janitorial.json",
	}
	mux, srv := scrapertest.Mirror(t)
	mux.HandleFunc("POST /api/v2/search/spending_by_award/", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, `{"detail": "bad request"}`, http.StatusBadRequest)
			return
		}
		searches = append(searches, req)
		file := "search-page-1.json"
		if req["page"] == 2.0 && !loop {
			file = "search-page-2.json"
		}
		b, _ := os.ReadFile(filepath.Join("testdata", file))
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	mux.HandleFunc("GET /api/v2/awards/{id}/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		file, ok := awards[r.PathValue("id")]
		if !ok {
			io.WriteString(w, `{"generated_unique_award_id": "CONT_AWD_HSCEMD15C00012`) // cut off
			return
		}
		b, _ := os.ReadFile(filepath.Join("testdata", file))
		w.Write(b)
	})
	return srv, &searches
}

func scrape(t *testing.T, base, out string) usaspending.Summary {
	t.Helper()
	var sum usaspending.Summary
	scrapertest.Run(t, "usaspending", out, func(c *scrapers.Collector, o *scrapers.Output, filter scrapers.Filter) (err error) {
		sum, err = usaspending.Run(context.Background(), c, o, usaspending.Options{BaseURL: base, Keywords: []string{"lawful interception"}, Filter: filter})
		return err
	})
	return sum
}

func TestSearchAwardsLoad(t *testing.T) {
	srv, searches := mirror(t, false)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrape(t, srv.URL, out)
	if sum.SearchPages != 2 || sum.Awards != 2 || sum.Skipped != 1 || sum.Claims != 4 {
		t.Fatalf("summary: %+v", sum)
	}
	if len(sum.Problems) != 1 || !strings.Contains(sum.Problems[0], "CONT_AWD_HSCEMD15C00012") || !strings.Contains(sum.Problems[0], "not an award page") {
		t.Fatalf("problems: %v", sum.Problems)
	}
	first := (*searches)[0]
	filters := first["filters"].(map[string]any)
	if first["page"] != 1.0 || filters["keywords"].([]any)[0] != "lawful interception" || len(filters["award_type_codes"].([]any)) != 4 {
		t.Fatalf("search request: %v", first)
	}

	rels := map[string]int{}
	for _, l := range scrapertest.Records(t, out) {
		if c := l.Claim; c != nil {
			rels[c.Relation]++
			if c.Relation == records.RelSupplied && (*c.Value != 1843250.75 || c.Currency != "USD" || c.Start != "2021-09-24" ||
				c.End != "2022-09-23" || c.Evidence[0].Quote != "LAWFUL INTERCEPTION SYSTEM SUPPORT AND MAINTENANCE") {
				t.Errorf("supplied: %+v", c)
			}
		}
		if e := l.Entity; e != nil && e.Schema == records.SchemaCompany && e.Names[0] == "VERINT AMERICAS INC." &&
			(e.Identifiers["uei"] != "ZX9Y8W7V6U5T" || e.Identifiers["duns"] != "123456789" || e.Country != "US") {
			t.Errorf("recipient: %+v", e)
		}
		if e := l.Entity; e != nil && e.Schema == records.SchemaPublicBody && strings.EqualFold(e.Names[0], "ICE HOMELAND SECURITY INVESTIGATIONS") &&
			(e.Names[0] != "ICE HOMELAND SECURITY INVESTIGATIONS" || e.Country != "US" || e.Kind != "agency") {
			t.Errorf("office: %+v", e)
		}
	}
	if rels[records.RelSupplied] != 1 || rels[records.RelPartOf] != 2 || rels[records.RelSubsidiaryOf] != 1 {
		t.Fatalf("claims by relation: %v", rels)
	}

	s := graphtest.Store(t)
	if _, err := load.File(context.Background(), s, out, load.Options{}); err != nil {
		t.Fatal(err)
	}
	ps, err := s.ShortestPaths(context.Background(), "company:uei:zx9y8w7v6u5t", "company:uei:ab1c2d3e4f5g", nil, 2, "", false)
	if err != nil || len(ps) != 1 {
		t.Fatalf("recipient to parent: %v %v", ps, err)
	}
}

func TestSearchPaginationLoop(t *testing.T) {
	srv, _ := mirror(t, true)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrape(t, srv.URL, out)
	if sum.SearchPages != 2 || !strings.Contains(strings.Join(sum.Problems, "\n"), "pagination loop: page 2 repeats page 1") {
		t.Fatalf("summary: %+v", sum)
	}
	if sum.Claims != 4 {
		t.Fatalf("the awards of the first page were not read: %+v", sum)
	}
}

// BenchmarkParse reports parse throughput (MB/s) and claims/s over the
// award pages.
func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "award-verint.json", "award-janitorial.json")
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	claims := 0
	for b.Loop() {
		for _, body := range bodies {
			a, err := usaspending.ParseAward(body)
			if err != nil {
				b.Fatal(err)
			}
			_, cs, _ := usaspending.Extract(a, "doc:0123456789abcdef0123", filter)
			claims += len(cs)
		}
	}
	b.ReportMetric(float64(claims)/b.Elapsed().Seconds(), "claims/s")
}
