package screening_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/screening"
)

// The fuzz targets feed each list parser hostile bytes. What they hold to:
// no panic; a second parse of the same bytes gives the same listings,
// problems and error; the cells a parser trims are trimmed and its lists
// hold no empty value; fn's error stops the parse and is returned; and a
// listing Records accepts gives records that validate and read back.

// parsed is what one parse gave.
type parsed struct {
	Listings []screening.Listing
	Problems []string
	Err      string
	// Published is what the SDN XML gave as its publication date.
	Published []string
}

type parseFunc func(r io.Reader, published func(string), fn func(screening.Listing) error, problem func(string, ...any)) error

// run parses data with parse, collecting everything it reports.
func run(data []byte, parse parseFunc) parsed {
	var p parsed
	err := parse(bytes.NewReader(data), func(d string) { p.Published = append(p.Published, d) },
		func(l screening.Listing) error { p.Listings = append(p.Listings, l); return nil },
		func(f string, a ...any) { p.Problems = append(p.Problems, fmt.Sprintf(f, a...)) })
	if err != nil {
		p.Err = err.Error()
	}
	return p
}

var errStop = errors.New("stop here")

// check holds a parser to the properties every format shares.
func check(t *testing.T, data []byte, parse parseFunc) parsed {
	t.Helper()
	p := run(data, parse)
	if again := run(data, parse); !cmp.Equal(p, again) {
		t.Fatalf("two parses of the same bytes differ:\n%s", cmp.Diff(p, again))
	}
	// fn's error stops the parse at the first listing and is returned.
	calls := 0
	err := parse(bytes.NewReader(data), func(string) {}, func(screening.Listing) error { calls++; return errStop }, func(string, ...any) {})
	if len(p.Listings) > 0 && (!errors.Is(err, errStop) || calls != 1) {
		t.Fatalf("fn's error: got %v after %d calls", err, calls)
	}
	for _, l := range p.Listings {
		checkRecords(t, l)
	}
	return p
}

func trimmed(t *testing.T, what string, vs ...string) {
	t.Helper()
	for _, v := range vs {
		if v != strings.TrimSpace(v) {
			t.Fatalf("%s %q is not trimmed", what, v)
		}
	}
}

func listValues(t *testing.T, what string, vs []string) {
	t.Helper()
	for _, v := range vs {
		if v == "" || v != strings.TrimSpace(v) || strings.Contains(v, ";") {
			t.Fatalf("%s holds %q: a list value is non-empty, trimmed and has no separator", what, v)
		}
	}
}

// checkRecords: a listing Records takes gives an entity, an authority and
// a claim that the records writer accepts and the reader reads back
// without a complaint. A listing that cannot become valid records must be
// refused (ok false), since a write error stops the whole list's run.
func checkRecords(t *testing.T, l screening.Listing) {
	t.Helper()
	listed, authority, claim, ok := screening.Records(l, "doc:fuzz")
	if !ok {
		return
	}
	var buf bytes.Buffer
	w := records.NewWriter(&buf)
	for _, err := range []error{w.WriteEntity(listed), w.WriteEntity(authority), w.WriteClaim(claim), w.Flush()} {
		if err != nil {
			t.Fatalf("Records(%.300s) gave a record the writer refuses: %.300v", fmt.Sprintf("%+q", l), err)
		}
	}
	rd := records.NewReader(&buf, "fuzz")
	n := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Records(%.300s) wrote a line the reader refuses: %.300v", fmt.Sprintf("%+q", l), err)
		}
		n++
	}
	if n != 3 {
		t.Fatalf("%d records read back, want 3", n)
	}
}

// seeds adds each testdata file and returns their bytes by name.
func seeds(f *testing.F, names ...string) map[string][]byte {
	f.Helper()
	out := map[string][]byte{}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// addEdges adds the edge cases every format gets: empty, a BOM, invalid
// UTF-8, a NUL, truncations of each seed and a very long line.
func addEdges(f *testing.F, files map[string][]byte) {
	f.Add([]byte{})
	f.Add([]byte{0xEF, 0xBB, 0xBF})
	f.Add([]byte("\xff\xfe\x00"))
	for _, b := range files {
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(b[:len(b)-1])
		f.Add(bytes.ReplaceAll(b, []byte("e"), []byte("\xc3")))
	}
}

func cslCSV(r io.Reader, _ func(string), fn func(screening.Listing) error, problem func(string, ...any)) error {
	return screening.ParseCSLCSV(r, fn, problem)
}

func FuzzCSLCSV(f *testing.F) {
	files := seeds(f, "consolidated.csv", "consolidated-reordered.csv")
	addEdges(f, files)
	header := "source,name,alt_names,programs,addresses,ids,start_date,end_date,federal_register_notice,type\n"
	for _, s := range []string{
		header,
		"source,name\n",
		"name\nX\n",
		header + `Entity List (EL) - Bureau of Industry and Security,"Quoted, ""Name""",a;;b; ;c,"P1; P2",", ; a,b,", "LEI, 5493001KJTIIGC8Y1R12, GR; ,,", 2024-02-27,2023-01-01,89 FR 1,` + "\n",
		header + "Entity List (EL) - Bureau of Industry and Security,\"unterminated\n",
		header + "a\"b,c\n",
		header + "\"x\"y,z\n",
		header + "only,three,fields\n",
		header + "Military End User (MEU) List - Bureau of Industry and Security," + strings.Repeat("Long Name ", 101) + ",,,,,,,,\n",
		header + "Nonproliferation Sanctions (ISN) - State Department,Name\x00With\x01Controls,,,,,2024-02-30,,,individual\n",
		"\r\n\r\n" + strings.ReplaceAll(header, "\n", "\r\n") + "Specially Designated Nationals (SDN) - Treasury Department,\"A\r\nB\",,,,,,,,\r\n",
		header + strings.Repeat(",", 1500) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := check(t, data, cslCSV)
		if p.Err != "" && len(p.Listings) > 0 {
			t.Fatalf("an error (%s) after %d listings: only a missing header is an error for bytes in memory", p.Err, len(p.Listings))
		}
		for _, l := range p.Listings {
			trimmed(t, "a cell", l.ID, l.Source, l.Type, l.Name, l.Notice, l.Start, l.End, l.LicensePolicy, l.LicenseRequirement, l.Remarks, l.SourceListURL)
			listValues(t, "alt_names", l.AltNames)
			listValues(t, "programs", l.Programs)
			for _, c := range l.Countries {
				trimmed(t, "a country", c)
				if strings.ContainsAny(c, ",;") {
					t.Fatalf("country %q holds a separator", c)
				}
			}
			for _, id := range l.IDs {
				trimmed(t, "an identifier", id.Type, id.Number, id.Country)
			}
		}
	})
}

func cslJSON(r io.Reader, _ func(string), fn func(screening.Listing) error, problem func(string, ...any)) error {
	return screening.ParseCSLJSON(r, fn, problem)
}

func FuzzCSLJSON(f *testing.F) {
	files := seeds(f, "consolidated.json")
	addEdges(f, files)
	for _, s := range []string{
		`{}`, `[]`, `{"results":[]}`, `{"results":{}}`, `{"results":[1,"x",null,{}]}`,
		`{"results":[{"name":"A","source":"Entity List (EL) - Bureau of Industry and Security","alt_names":"not a list"},{"name":"B","source":"Entity List (EL) - Bureau of Industry and Security"}]}`,
		`{"total":1,"results":[{"name":" A\u0000B ","source":"Entity List (EL) - Bureau of Industry and Security","start_date":"2024-01-01","end_date":"2020-01-01","addresses":[{"country":"DE"}],"ids":[{"type":"LEI","number":"5493001KJTIIGC8Y1R12"}]}],"results":[{"name":"again"}]}`,
		`{"results":[{"name":"A"}`, `{"results":[{"name":"A"},`, `{"results"`, `{"a":` + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + `}`,
		`{"results":[{"name":"` + strings.Repeat("N", 1100) + `","source":"Entity List (EL) - Bureau of Industry and Security"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, cslJSON)
	})
}

// sdnCSV parses sdn.csv with extras from alt.csv and add.csv; an error of
// the extras is the parse's error.
func sdnCSV(alt, add []byte) parseFunc {
	return func(r io.Reader, _ func(string), fn func(screening.Listing) error, problem func(string, ...any)) error {
		x, err := screening.ParseSDNExtras(bytes.NewReader(alt), bytes.NewReader(add), problem)
		if err != nil {
			return fmt.Errorf("extras: %w", err)
		}
		for id, names := range x.Aliases {
			if id == "" || id != strings.TrimSpace(id) || id == "-0-" {
				return fmt.Errorf("extras: alias key %q", id)
			}
			for _, n := range names {
				if n == "" || n != strings.TrimSpace(n) || n == "-0-" {
					return fmt.Errorf("extras: alias %q", n)
				}
			}
		}
		for id, cs := range x.Countries {
			if id == "" || id != strings.TrimSpace(id) || id == "-0-" {
				return fmt.Errorf("extras: country key %q", id)
			}
			for _, c := range cs {
				if c == "" || c != strings.TrimSpace(c) || c == "-0-" {
					return fmt.Errorf("extras: country %q", c)
				}
			}
		}
		return screening.ParseSDNCSV(r, x, fn, problem)
	}
}

func FuzzSDNCSV(f *testing.F) {
	files := seeds(f, "sdn.csv", "alt.csv", "add.csv")
	sdn, alt, add := files["sdn.csv"], files["alt.csv"], files["add.csv"]
	f.Add(sdn, alt, add)
	f.Add(sdn, []byte{}, []byte{})
	f.Add(sdn[:len(sdn)/2], alt[:len(alt)/2], add[:len(add)/2])
	f.Add([]byte{}, alt, add)
	row := `36101,"NAME, \"Q\"",individual,[A] [B],-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,R` + "\n"
	for _, s := range []string{
		"", "\x1a", "\x1a\r\n", row, row + "\x1a", "\xef\xbb\xbf" + row,
		"1,\"unterminated\n", "a\"b,c\n", "1,2,3\n", row + strings.Repeat("-0- ,", 11) + "-0- \n",
		"36101,N\x00ame,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
		"36101," + strings.Repeat("LONG ", 210) + ",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
		"36101,\xff\xfe,aircraft,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
	} {
		f.Add([]byte(s), []byte("36101,1,aka,\"A, B\",-0- \n36101,2,aka,-0- ,-0- \n\"bad\"x\n"), []byte("36101,1,-0- ,-0- ,Greece,-0- \n36101,2,,,-0- ,\n"))
	}
	f.Fuzz(func(t *testing.T, sdn, alt, add []byte) {
		p := check(t, sdn, sdnCSV(alt, add))
		if p.Err != "" {
			t.Fatalf("an error for bytes in memory: %s", p.Err)
		}
		for _, l := range p.Listings {
			trimmed(t, "a field", l.ID, l.Type, l.Name, l.Remarks)
			listValues(t, "programs", l.Programs)
			for _, v := range []string{l.ID, l.Type, l.Name, l.Remarks} {
				if v == "-0-" {
					t.Fatalf("the empty mark -0- kept as a value: %+v", l)
				}
			}
		}
	})
}

func FuzzSDNXML(f *testing.F) {
	files := seeds(f, "sdn.xml")
	addEdges(f, files)
	entry := `<sdnEntry><uid>1</uid><firstName> F </firstName><lastName> L </lastName><sdnType>Individual</sdnType><programList><program>P</program></programList><akaList><aka><lastName>A</lastName></aka></akaList><addressList><address><country>Iran</country></address></addressList></sdnEntry>`
	for _, s := range []string{
		`<sdnList/>`, `<sdnEntry/>`, entry, `<sdnList>` + entry + entry + `</sdnList>`,
		`<sdnList><publshInformation><Publish_Date>1/2/2026</Publish_Date></publshInformation>` + entry + `</sdnList>`,
		`<sdnList><Publish_Date>13/45/2026</Publish_Date><Publish_Date><b/></Publish_Date>` + entry,
		`<sdnList><sdnEntry><uid>1</uid><lastName>&bogus;</lastName></sdnEntry>` + entry + `</sdnList>`,
		`<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName><sdnType>`, `<sdnList><sdnEntry><uid>1</uid></sdnList>`,
		`<x:sdnEntry xmlns:x="urn:x"><x:uid>2</x:uid><x:lastName>N&#0;ul</x:lastName></x:sdnEntry>`,
		`<sdnEntry><lastName>` + strings.Repeat("<b>", 1500) + `</lastName></sdnEntry>`,
		`<sdnList>` + strings.Repeat("<a>", 1500) + entry + strings.Repeat("</a>", 1500) + `</sdnList>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><sdnList>` + entry + `</sdnList>`,
		`<sdnEntry><lastName>` + strings.Repeat("LONG ", 210) + `</lastName><sdnType>Entity</sdnType></sdnEntry>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := check(t, data, screening.ParseSDNXML)
		// The date becomes the document's published date, which the
		// records writer validates.
		for _, d := range p.Published {
			if len(d) != 10 || !records.ValidDate(d) {
				t.Fatalf("publication date %q is not a valid YYYY-MM-DD", d)
			}
		}
		for _, l := range p.Listings {
			if l.Type == "" || l.Remarks != strings.TrimSpace(l.Remarks) {
				t.Fatalf("listing without a type or with untrimmed remarks: %+v", l)
			}
		}
	})
}
