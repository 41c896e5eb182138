package screening_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/screening"
)

func open(t testing.TB, name string) io.Reader {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// collect parses with a parser and returns the listings and problems.
func collect(t *testing.T, parse func(func(screening.Listing) error, func(string, ...any)) error) ([]screening.Listing, []string) {
	t.Helper()
	var ls []screening.Listing
	var problems []string
	err := parse(func(l screening.Listing) error { ls = append(ls, l); return nil },
		func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) })
	if err != nil {
		t.Fatal(err)
	}
	return ls, problems
}

// TestEveryFormatReadsTheSameListings: the CSL as CSV (with a ragged row),
// as CSV with its columns in another order and a byte-order mark, and as
// JSON; the SDN as legacy CSV (with alt.csv, add.csv, -0- for empty and a
// short row) and as XML. Each gives the same listings, and a ragged or
// short row is reported with its line, not guessed at.
func TestEveryFormatReadsTheSameListings(t *testing.T) {
	csv, csvProblems := collect(t, func(fn func(screening.Listing) error, p func(string, ...any)) error {
		return screening.ParseCSLCSV(open(t, "consolidated.csv"), fn, p)
	})
	reordered, reorderedProblems := collect(t, func(fn func(screening.Listing) error, p func(string, ...any)) error {
		return screening.ParseCSLCSV(open(t, "consolidated-reordered.csv"), fn, p)
	})
	js, jsProblems := collect(t, func(fn func(screening.Listing) error, p func(string, ...any)) error {
		return screening.ParseCSLJSON(open(t, "consolidated.json"), fn, p)
	})
	if len(csv) != 5 || len(csvProblems) != 1 || !strings.Contains(csvProblems[0], "line 4: 8 fields, the header has 29") {
		t.Fatalf("CSL CSV: %d listings, problems %v", len(csv), csvProblems)
	}
	if len(reorderedProblems)+len(jsProblems) != 0 {
		t.Fatalf("problems: %v %v", reorderedProblems, jsProblems)
	}
	for i := range csv {
		for name, other := range map[string][]screening.Listing{"reordered CSV": reordered, "JSON": js} {
			a, b := csv[i], other[i]
			if a.Name != b.Name || a.Source != b.Source || a.Start != b.Start || a.End != b.End || !slices.Equal(a.AltNames, b.AltNames) ||
				!slices.Equal(a.Programs, b.Programs) || !slices.Equal(a.Countries, b.Countries) || a.Notice != b.Notice {
				t.Errorf("%s listing %d differs:\n%+v\n%+v", name, i, b, a)
			}
		}
	}
	if l := csv[0]; l.Name != "Example Packet Networks Inc. (test fixture)" || !slices.Equal(l.Countries, []string{"CA", "MY"}) ||
		!slices.Equal(l.AltNames, []string{"Example Packet Networks", "ExPacket"}) || l.Start != "2024-02-27" {
		t.Errorf("first CSL listing: %+v", l)
	}

	var xmlDate string
	sdnXML, xmlProblems := collect(t, func(fn func(screening.Listing) error, p func(string, ...any)) error {
		return screening.ParseSDNXML(open(t, "sdn.xml"), func(d string) { xmlDate = d }, fn, p)
	})
	var extraProblems []string
	extras, err := screening.ParseSDNExtras(open(t, "alt.csv"), open(t, "add.csv"), func(f string, a ...any) { extraProblems = append(extraProblems, fmt.Sprintf(f, a...)) })
	if err != nil {
		t.Fatal(err)
	}
	sdnCSV, csvSDNProblems := collect(t, func(fn func(screening.Listing) error, p func(string, ...any)) error {
		return screening.ParseSDNCSV(open(t, "sdn.csv"), extras, fn, p)
	})
	if xmlDate != "2026-11-20" || len(xmlProblems) != 0 || len(extraProblems) != 0 {
		t.Fatalf("SDN XML: date %q, problems %v %v", xmlDate, xmlProblems, extraProblems)
	}
	if len(sdnCSV) != 3 || len(csvSDNProblems) != 1 || !strings.Contains(csvSDNProblems[0], "3 fields, want 12") {
		t.Fatalf("SDN CSV: %d listings, problems %v", len(sdnCSV), csvSDNProblems)
	}
	for i := range sdnXML {
		a, b := sdnXML[i], sdnCSV[i]
		if a.ID != b.ID || a.Type != b.Type || !slices.Equal(a.Programs, b.Programs) || !slices.Equal(a.AltNames, b.AltNames) ||
			!slices.Equal(a.Countries, b.Countries) || strings.ReplaceAll(a.Name, " (test fixture)", "") != strings.ReplaceAll(b.Name, " (test fixture)", "") {
			t.Errorf("SDN listing %d: XML %+v, CSV %+v", i, a, b)
		}
	}
}

func TestRecords(t *testing.T) {
	csv, _ := collect(t, func(fn func(screening.Listing) error, p func(string, ...any)) error {
		return screening.ParseCSLCSV(open(t, "consolidated.csv"), fn, p)
	})
	company, authority, claim, ok := screening.Records(csv[1], "doc:x")
	if !ok || company.Schema != "Company" || company.Identifiers["lei"] != "5493001KJTIIGC8Y1R12" || company.Country != "GR" ||
		authority.ID != "body/us-ofac" || claim.List != "Specially Designated Nationals" || claim.Program != "CYBER2; EO13694" ||
		claim.Start != "2024-03-05" || claim.Status != "documented" {
		t.Errorf("SDN entity: %+v %+v %+v", company, authority, claim)
	}
	person, _, _, ok := screening.Records(csv[2], "doc:x")
	// "SURNAME, Forenames" as listed becomes "Forenames SURNAME".
	if !ok || person.Schema != "Person" || !slices.Equal(person.Names, []string{"Tal (test fixture) EXAMPLE", "T. EXAMPLE"}) ||
		strings.Contains(fmt.Sprint(person), "1962") {
		t.Errorf("individual: %+v (no birth date may be kept)", person)
	}
	if _, _, _, ok := screening.Records(csv[3], "doc:x"); ok {
		t.Error("a vessel became an entity")
	}
	_, auth, meu, ok := screening.Records(csv[4], "doc:x")
	if !ok || auth.ID != "body/us-bis" || meu.List != "Military End User (MEU) List" || meu.End != "2023-06-30" || meu.Evidence[0].Quote != "85 FR 83799" {
		t.Errorf("MEU listing: %+v", meu)
	}
}

// TestRunReadsEveryFormatFromAMirror fetches every format from a mirror
// and counts what it read; loading the records with the seed and asking
// whether the listed company was on a list on a given day is in package
// roundtrip (TestScreening).
func TestRunReadsEveryFormatFromAMirror(t *testing.T) {
	srv := scrapertest.Screening(t)
	out := filepath.Join(t.TempDir(), "lists.jsonl")
	var sum screening.Summary
	problems := scrapertest.Run(t, "screening", out, "", func(env *scrapers.Env) (err error) {
		sum, err = screening.Run(context.Background(), env, screening.Options{
			CSL: []string{srv.URL + "/consolidated.csv", srv.URL + "/consolidated.json"},
			SDN: []string{srv.URL + "/sdn.csv", srv.URL + "/sdn.xml"}})
		return err
	})
	if sum.Files != 4 || sum.Listings != 16 || sum.Skipped["vessel"] != 4 || len(problems) != 2 {
		t.Fatalf("summary: %+v, problems %q", sum, problems)
	}
}

// BenchmarkStreamLargeList parses a generated CSL CSV of about 30 MB from
// disk, turning each listing into records, and reports the peak live heap:
// it stays a few MB, far below the file's size, because nothing holds the
// file or its listings.
func BenchmarkStreamLargeList(b *testing.B) {
	path := filepath.Join(b.TempDir(), "consolidated.csv")
	src, err := os.ReadFile(filepath.Join("testdata", "consolidated-reordered.csv"))
	if err != nil {
		b.Fatal(err)
	}
	header, body, _ := bytes.Cut(bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF}), []byte("\r\n"))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	f.Write(header)
	f.Write([]byte("\r\n"))
	var size int64
	for i := 0; size < 30<<20; i++ {
		chunk := bytes.ReplaceAll(body, []byte("(test fixture)"), []byte(fmt.Sprintf("(copy %d)", i)))
		f.Write(chunk)
		size += int64(len(chunk))
	}
	f.Close()
	b.SetBytes(size)
	var peak uint64
	n := 0
	for b.Loop() {
		r, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		stop := graphbench.PeakHeap()
		err = screening.ParseCSLCSV(r, func(l screening.Listing) error {
			screening.Records(l, "doc:x")
			n++
			return nil
		}, func(string, ...any) {})
		peak = max(peak, stop())
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB-file")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "listings/s")
}
