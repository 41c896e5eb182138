package edgar_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/edgar"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// mirror answers like both SEC hosts, on one server: data.sec.gov's
// submissions and www.sec.gov's filing folders.
func mirror(t *testing.T) string {
	t.Helper()
	mux, srv := scrapertest.Mirror(t)
	file := func(w http.ResponseWriter, name, ctype string) {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			http.NotFound(w, nil)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	}
	mux.HandleFunc("GET /submissions/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == "CIK0000000666.json" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"cik":"666","name":"Broken Arrays Corp.","filings":{"recent":{"accessionNumber":["a","b"],"filingDate":["2026-01-01"],"form":["10-K","10-K"]}}}`))
			return
		}
		file(w, r.PathValue("name"), "application/json")
	})
	mux.HandleFunc("GET /Archives/edgar/data/777123/{acc}/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == "index.json" {
			file(w, "index-"+r.PathValue("acc")+".json", "application/json")
			return
		}
		file(w, r.PathValue("name"), "text/html")
	})
	return srv.URL
}

func TestCompanyRenamesAndSubsidiaries(t *testing.T) {
	base := mirror(t)
	out := filepath.Join(t.TempDir(), "edgar.jsonl")
	var sum edgar.Summary
	scrapertest.Run(t, "edgar", out, func(c *scrapers.Collector, o *scrapers.Output, _ scrapers.Filter) (err error) {
		sum, err = edgar.Run(context.Background(), c, o, edgar.Options{BaseURL: base, CIKs: []string{"777123", "CIK0000000666", "12x"}, Reports: 3})
		return err
	})
	// Three 20-Fs: two in the recent filings, one on the older page,
	// whose folder the mirror lacks (a problem); the broken company's
	// arrays do not line up (a problem); "12x" is no CIK (a problem).
	// The 2025 report names government customers in four countries and
	// denies selling in three.
	if sum.Companies != 2 || sum.Reports != 3 || sum.Exhibits != 2 || sum.Passages != 3 || sum.Claims != 1+5+3+4+3 || len(sum.Problems) != 3 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(sum.Problems, "\n")
	for _, want := range []string{`"12x" is not a CIK`, "2 accession numbers but 1 filingDate", "000117891320000999/index.json"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}

	ctx := context.Background()
	s := graphtest.Store(t)
	if _, err := load.File(ctx, s, out, load.Options{}); err != nil {
		t.Fatal(err)
	}
	id := records.EntityID(records.Entity{Schema: "Company", Identifiers: map[string]string{"cik": "0000777123"}})
	e, cs, err := s.EntityWithClaims(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Example Intercept Technologies Ltd." || e.Country != "IL" || e.Identifiers["ticker"] != "EXIT" {
		t.Errorf("registrant: %+v", e)
	}
	subs := map[string]string{}
	var renamed bool
	for _, c := range cs {
		switch c.Relation {
		case "SUBSIDIARY_OF":
			for _, end := range c.Ends {
				if end.ID == c.Subject {
					subs[end.Name] = end.Country
				}
			}
			if c.Evidence[0].Quote == "" || c.Status != "documented" {
				t.Errorf("subsidiary claim without its row: %+v", c)
			}
		case "RENAMED_TO":
			renamed = c.Start == "2021-02-01"
		}
	}
	want := map[string]string{"Example Intercept Inc.": "US", "Example Intercept UK Limited": "GB", "Example Intercept Technologies India Private Limited": "IN",
		"Example Intercept Technologies Romania S.R.L.": "RO", "Example Intercept (Bermuda) Ltd.": "BM", "Example Monitoring Systems GmbH": "DE",
		"Example Intercept Mexico S.A. de C.V.": "MX"}
	for name, cc := range want {
		if subs[name] != cc {
			t.Errorf("subsidiary %q: country %q, want %q (have %v)", name, subs[name], cc, subs)
		}
	}
	if len(subs) != len(want) {
		t.Errorf("subsidiaries: %v", subs)
	}
	if !renamed {
		t.Error("the former name is not RENAMED_TO the registrant on 2021-02-01")
	}
	supplied := map[string]string{}
	for _, c := range cs {
		if c.Relation == "SUPPLIED" {
			supplied[c.Object] = c.Stance
			if c.Confidence > 0.6 || len(c.Evidence) != 1 || !strings.Contains(c.Evidence[0].Quote, "government") {
				t.Errorf("passage claim %+v", c)
			}
		}
	}
	for cc, stance := range map[string]string{"country:MX": "asserts", "country:CO": "asserts", "country:KZ": "asserts", "country:US": "asserts",
		"country:IR": "denies", "country:SY": "denies", "country:KP": "denies"} {
		if supplied[cc] != stance {
			t.Errorf("SUPPLIED to %s: stance %q, want %q (have %v)", cc, supplied[cc], stance, supplied)
		}
	}
	if _, ok := supplied["country:DE"]; ok {
		t.Error("a research centre became a government customer")
	}
}

func TestExhibitNames(t *testing.T) {
	idx := &edgar.Index{}
	for _, n := range []string{"exa-ex8_1.htm", "d812345dex81.htm", "ex21.htm", "ex-21.1.htm", "exhibit21-01.htm", "exa-ex12_1.htm", "exa-20f_2025.htm", "ex4_12.htm"} {
		idx.Directory.Item = append(idx.Directory.Item, struct {
			Name string `json:"name"`
			Type string `json:"type"`
			Size string `json:"size"`
		}{Name: n})
	}
	if got := strings.Join(edgar.SubsidiaryExhibits(idx, "20-F"), ","); got != "exa-ex8_1.htm,d812345dex81.htm" {
		t.Errorf("20-F exhibits: %s", got)
	}
	if got := strings.Join(edgar.SubsidiaryExhibits(idx, "10-K"), ","); got != "ex21.htm,ex-21.1.htm,exhibit21-01.htm" {
		t.Errorf("10-K exhibits: %s", got)
	}
	for in, want := range map[string]string{"777123": "0000777123", "CIK0000777123": "0000777123", "12345678901": "", "": "", "12a": ""} {
		got, ok := edgar.CIK(in)
		if (want == "") == ok || got != want && ok {
			t.Errorf("CIK(%q) = %q, %v", in, got, ok)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "CIK0000777123.json", "exa-ex8_1.htm")
	b.SetBytes(size)
	n := 0
	for b.Loop() {
		s, err := edgar.ParseSubmissions(bodies[0])
		if err != nil {
			b.Fatal(err)
		}
		company := edgar.Company(s, "doc:x")
		subs, err := edgar.ParseExhibit(bodies[1])
		if err != nil {
			b.Fatal(err)
		}
		_, claims := edgar.SubsidiaryClaims(subs, company, edgar.Filing{Form: "20-F", ReportDate: "2025-12-31"}, "doc:y")
		n += len(claims)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "claims/s")
}
