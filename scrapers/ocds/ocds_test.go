package ocds_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/ocds"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func scrape(t *testing.T, out string, urls ...string) (ocds.Summary, []string) {
	t.Helper()
	var sum ocds.Summary
	problems := scrapertest.Run(t, "ocds", out, "", func(env *scrapers.Env) (err error) {
		sum, err = ocds.Run(context.Background(), env, ocds.Options{URLs: urls})
		return err
	})
	return sum, problems
}

// TestScrapeAndRescrape reads packages and follows their links; loading
// what it wrote is in package roundtrip.
func TestScrapeAndRescrape(t *testing.T) {
	srv := scrapertest.OCDS(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum, list := scrape(t, out, srv.URL+"/ocds/release-package-1.json", srv.URL+"/ocds/record-package.json")
	if sum.Pages != 3 || sum.Claims != 3 || sum.Skipped != 2 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(list, "\n")
	for _, want := range []string{`currency "XYZ" is not an ISO 4217 code`, "record ocds-b5fd17-0010 has no compiledRelease", srv.URL + "/ocds/release-package-2.json"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}

	lines := scrapertest.Records(t, out)
	var claims []records.Claim
	var docs []records.Document
	for _, l := range lines {
		switch {
		case l.Claim != nil:
			claims = append(claims, *l.Claim)
		case l.Document != nil:
			docs = append(docs, *l.Document)
		}
	}
	if len(claims) != 3 || len(docs) != 2 {
		t.Fatalf("%d claims in %d documents", len(claims), len(docs))
	}
	var sandvine *records.Claim
	for i, c := range claims {
		if strings.Contains(c.Subject, "ca-cc-4387543") {
			sandvine = &claims[i]
		}
	}
	if sandvine == nil || sandvine.Stage != "ordered" || *sandvine.Value != 1250000.5 || sandvine.Currency != "EUR" ||
		sandvine.Start != "2024-02-05" || sandvine.End != "2026-02-04" || sandvine.Product == "" ||
		sandvine.Evidence[0].Quote != "Supply and installation of a network traffic management platform" {
		t.Fatalf("the Sandvine award: %+v", sandvine)
	}
	for _, d := range docs {
		if d.Origin != records.OriginFetched || d.SHA256 == "" || !strings.Contains(d.Archive, ".warc.gz#<urn:uuid:") {
			t.Errorf("document without provenance: %+v", d)
		}
	}

	// A second scrape adds nothing.
	scrape(t, out, srv.URL+"/ocds/release-package-1.json", srv.URL+"/ocds/record-package.json")
	if again := scrapertest.Records(t, out); len(again) != len(lines) {
		t.Fatalf("the second scrape wrote %d more records", len(again)-len(lines))
	}
}

func TestBadPagesAreReportedAndTheRunGoesOn(t *testing.T) {
	srv := scrapertest.OCDS(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum, list := scrape(t, out, srv.URL+"/bad/truncated.json", srv.URL+"/bad/error-page.json", srv.URL+"/bad/loop.json",
		srv.URL+"/bad/not-ocds.json", srv.URL+"/ocds/missing.json", srv.URL+"/ocds/record-package.json")
	problems := strings.Join(list, "\n")
	for _, want := range []string{
		srv.URL + "/bad/truncated.json: not OCDS JSON",
		srv.URL + "/bad/error-page.json: unexpected content type",
		srv.URL + "/bad/loop.json: pagination loop",
		srv.URL + "/bad/not-ocds.json: neither a release package nor a record package",
		srv.URL + "/ocds/missing.json: unexpected status (HTTP 404)",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	if sum.Claims != 1 {
		t.Fatalf("the good page after the bad ones gave %d claims, want 1", sum.Claims)
	}
	if lines := scrapertest.Records(t, out); len(lines) != 4 { // document, two entities, claim
		t.Fatalf("%d records", len(lines))
	}
}

// BenchmarkParse reports parse throughput (MB/s) and claims/s over the
// fixtures: reading a package and turning it into records.
func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "release-package-1.json", "release-package-2.json", "record-package.json")
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	claims := 0
	for b.Loop() {
		for _, body := range bodies {
			p, err := ocds.Parse(body)
			if err != nil {
				b.Fatal(err)
			}
			claims += len(ocds.Extract(p, "doc:0123456789abcdef0123", filter).Claims)
		}
	}
	b.ReportMetric(float64(claims)/b.Elapsed().Seconds(), "claims/s")
}
