package scrapers_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

func pageRecords() (records.Document, records.Entity, records.Entity, records.Claim) {
	d := records.Document{URL: "https://example.org/awards/1", Title: "Award 1", Retrieved: "2026-11-28T10:00:00Z",
		SHA256: strings.Repeat("ab", 32), Archive: "a.warc.gz#<urn:uuid:1>", Origin: records.OriginFetched}
	d.ID = records.DocumentID(d.URL)
	vendor := records.Entity{Schema: records.SchemaCompany, Ref: "vendor", Names: []string{"Example Probe Ltd"}, Country: "GB"}
	buyer := records.Entity{Schema: records.SchemaPublicBody, Ref: "buyer", Names: []string{"Ministry of Examples"}, Country: "GB"}
	c := records.Claim{Relation: records.RelSupplied, Subject: "vendor", Object: "buyer", Status: records.StatusDocumented,
		Confidence: 0.9, Start: "2024-01-02", Extractor: "test",
		Evidence: []records.Evidence{{Document: d.ID, Quote: "Supply of network probes"}}}
	return d, vendor, buyer, c
}

func writeAll(t *testing.T, o *scrapers.Output, d records.Document, es []records.Entity, cs []records.Claim) {
	t.Helper()
	if err := o.Document(d); err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := o.Entity(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cs {
		if err := o.Claim(c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOutputResumesWithoutDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	d, vendor, buyer, c := pageRecords()
	o, err := scrapers.OpenOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, o, d, []records.Entity{vendor, buyer}, []records.Claim{c})
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	// The run is killed in the middle of its next line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"type":"claim","v":1,"relation":"SUPP`)
	f.Close()

	o, err = scrapers.OpenOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	later := c
	later.Start, later.Evidence = "2025-03-04", []records.Evidence{{Document: d.ID, Quote: "Extension of the probe contract"}}
	writeAll(t, o, d, []records.Entity{vendor, buyer}, []records.Claim{c, later})
	if o.Written() != 1 || o.Skipped() != 4 {
		t.Fatalf("second run wrote %d, skipped %d; want 1 and 4", o.Written(), o.Skipped())
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	rd := records.NewReader(strings.NewReader(string(data)), path)
	n := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the output is not a clean record file: %v", err)
		}
		n++
	}
	if n != 5 {
		t.Fatalf("%d records, want 5", n)
	}
}

func TestOutputRefusesAForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.jsonl")
	os.WriteFile(path, []byte("my notes\nmore notes\n"), 0o644)
	if _, err := scrapers.OpenOutput(path); err == nil || !strings.Contains(err.Error(), "not a valid record") {
		t.Fatalf("err = %v", err)
	}
}

func TestProgressLogsWhenNotOnATerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") }))
	defer srv.Close()
	c := newCollector(t, testConfig(t))
	o, err := scrapers.OpenOutput(filepath.Join(t.TempDir(), "out.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	var logged bytes.Buffer
	p := scrapers.StartProgress(&bytes.Buffer{}, c, o, slog.New(slog.NewTextHandler(&logged, nil)), 10*time.Millisecond)
	if _, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/p"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	p.Stop()
	if !strings.Contains(logged.String(), "test: 1 pages, 0 records, 0 errors") {
		t.Fatalf("progress log: %q", logged.String())
	}
}
