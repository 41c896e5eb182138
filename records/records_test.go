package records

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

const doc = `{"type":"document","v":1,"id":"doc:1","url":"https://example.org/r","origin":"curated"}`

func TestReaderValidation(t *testing.T) {
	tests := []struct {
		name, line, want string // want: "" for valid, else a fragment of the reason
	}{
		{"document", doc, ""},
		{"fetched document complete", `{"type":"document","v":1,"url":"https://e.org/","origin":"fetched","retrieved":"2026-11-01T10:00:00Z","sha256":"` + strings.Repeat("a", 64) + `","archive":"run.warc.gz#urn:uuid:1"}`, ""},
		{"fetched document without hash", `{"type":"document","v":1,"url":"https://e.org/","origin":"fetched","retrieved":"2026-11-01"}`, "needs retrieved, sha256 and archive"},
		{"relative url", `{"type":"document","v":1,"url":"/r","origin":"curated"}`, "not an absolute http(s) URL"},
		{"javascript url", `{"type":"document","v":1,"url":"javascript:alert(1)","origin":"curated"}`, "not an absolute http(s) URL"},
		{"url with markup", `{"type":"document","v":1,"url":"https://e.org/?q=\"><script>alert(1)</script>","origin":"curated"}`, "unsafe characters percent-encoded"},
		{"url with a space", `{"type":"document","v":1,"url":"https://e.org/a b","origin":"curated"}`, "unsafe characters percent-encoded"},
		{"url escaped", `{"type":"document","v":1,"url":"https://e.org/?q=%22%3E%3Cscript%3E","origin":"curated"}`, ""},
		{"javascript archive", `{"type":"document","v":1,"url":"https://e.org/","origin":"fetched","retrieved":"2026-11-01T10:00:00Z","sha256":"` + strings.Repeat("a", 64) + `","archive":"javascript:alert(3)"}`, "not a WARC file and record"},
		{"archive outside the archive", `{"type":"document","v":1,"url":"https://e.org/","origin":"fetched","retrieved":"2026-11-01T10:00:00Z","sha256":"` + strings.Repeat("a", 64) + `","archive":"../../etc/x.warc.gz#urn:uuid:1"}`, "not a WARC file and record"},
		{"archive in a folder", `{"type":"document","v":1,"url":"https://e.org/","origin":"fetched","retrieved":"2026-11-01T10:00:00Z","sha256":"` + strings.Repeat("a", 64) + `","archive":"2026/run-0001.warc.gz#urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"}`, ""},
		{"bad hash", `{"type":"document","v":1,"url":"https://e.org","origin":"curated","sha256":"XYZ"}`, "64 lowercase hex"},
		{"newer version", `{"type":"document","v":2,"url":"https://e.org","origin":"curated"}`, "format version v=2"},
		{"unknown field", `{"type":"document","v":1,"url":"https://e.org","origin":"curated","titel":"x"}`, `unknown field "titel"`},
		{"not json", `{"type":"document",`, "not a JSON object"},
		{"no type", `{"v":1}`, "type is required"},
		{"unknown type", `{"type":"edge","v":1}`, `type "edge"`},
		{"entity", `{"type":"entity","v":1,"schema":"Company","ref":"a","names":["Allot Ltd."],"country":"IL"}`, ""},
		{"unknown country", `{"type":"entity","v":1,"schema":"Company","names":["X"],"country":"ZZ"}`, `country "ZZ"`},
		{"lower-case country", `{"type":"entity","v":1,"schema":"Company","names":["X"],"country":"il"}`, `country "il"`},
		{"unknown schema", `{"type":"entity","v":1,"schema":"Vendor","names":["X"]}`, `schema "Vendor"`},
		{"no names", `{"type":"entity","v":1,"schema":"Company","names":[]}`, "at least one name"},
		{"bad capability", `{"type":"entity","v":1,"schema":"Product","names":["P"],"capabilities":["hacking"]}`, `capability "hacking"`},
		{"body kind", `{"type":"entity","v":1,"schema":"PublicBody","names":["MoI"],"kind":"police","country":"AZ"}`, ""},
		{"bad body kind", `{"type":"entity","v":1,"schema":"PublicBody","names":["MoI"],"kind":"church"}`, `kind "church"`},
		{"incident dates reversed", `{"type":"entity","v":1,"schema":"Incident","names":["I"],"kind":"shutdown","start":"2020-11-12","end":"2020-09-27"}`, "before start"},
		{"claim", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.8,"start":"2009","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"seed/1"}`, ""},
		{"partial month", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.8,"start":"2017-03","evidence":[{"document":"doc:1","paraphrase":"p"}],"extractor":"x"}`, ""},
		{"bad month", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.8,"start":"2017-13","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, `start "2017-13"`},
		{"unknown relation", `{"type":"claim","v":1,"relation":"SOLD","subject":"a","object":"b","status":"reported","confidence":0.8,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, `relation "SOLD"`},
		{"unknown status", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"rumoured","confidence":0.8,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, `status "rumoured"`},
		{"unknown stance", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","stance":"maybe","status":"reported","confidence":0.8,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, `stance "maybe"`},
		{"confidence over 1", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":1.5,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, "not in [0,1]"},
		{"stage on OWNS", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"stage":"delivered","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, "stage is only for SUPPLIED"},
		{"unknown stage", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"stage":"shipped","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, `stage "shipped"`},
		{"value without currency", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"value":2500000,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, "needs its currency"},
		{"absurd value", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"value":1e308,"currency":"USD","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, "must be a number from 0 to 1e+15"},
		{"largest value", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"value":1e15,"currency":"IRR","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, ""},
		{"bad currency", `{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"value":1,"currency":"dollars","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, "ISO 4217"},
		{"no evidence", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[],"extractor":"x"}`, "at least one document"},
		{"evidence without quote", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1"}],"extractor":"x"}`, "needs a quote"},
		{"self loop", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"a","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, "the same"},
		{"no extractor", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q"}]}`, "extractor is required"},
		// Broken text and records that say two things.
		{"invalid UTF-8 in a name", `{"type":"entity","v":1,"schema":"Company","names":["Allot` + "\xff" + ` Ltd."],"country":"IL"}`, "invalid UTF-8 at byte 57"},
		{"a truncated UTF-8 sequence", `{"type":"entity","v":1,"schema":"Company","names":["Nokia ` + "\xc3" + `"],"country":"FI"}`, "invalid UTF-8 at byte 58"},
		{"raw NUL in a quote", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q` + "\x00" + `"}],"extractor":"x"}`, "a NUL byte at byte 146"},
		{"escaped NUL in a quote", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q\u0000"}],"extractor":"x"}`, `an escaped NUL (\u0000) at byte 146`},
		{"escaped backslash before u0000 is text", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"C:\\u0000"}],"extractor":"x"}`, ""},
		{"a key twice", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","relation":"SUPPLIED","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`, `key "relation" appears twice in one object (at byte 67)`},
		{"a nested key twice", `{"type":"entity","v":1,"schema":"Company","names":["X"],"identifiers":{"lei":"A","lei":"B"}}`, `key "lei" appears twice`},
		{"a key twice, once in capitals", `{"type":"entity","v":1,"schema":"Company","names":["X"],"Names":["Y"]}`, `key "Names" appears twice`},
		{"a key twice, once with an escape", `{"type":"entity","v":1,"schema":"Company","names":["X"],"n\u0061mes":["Y"]}`, `key "n\u0061mes" appears twice`},
		{"the same key in sibling objects", `{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q"},{"document":"doc:2","quote":"r"}],"extractor":"x"}`, ""},
		{"a key's name as a value", `{"type":"document","v":1,"url":"https://e.org","origin":"curated","title":"url"}`, ""},
		{"a byte order mark opens the file", "\ufeff" + doc, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := NewReader(strings.NewReader(tt.line+"\n"), "f.jsonl")
			_, err := rd.Next()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("valid line refused: %v", err)
				}
				return
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LineError containing %q", err, tt.want)
			}
			if le.Line != 1 || !strings.Contains(le.Error(), "f.jsonl:1: ") || !strings.Contains(le.Reason, tt.want) {
				t.Fatalf("got %q, want f.jsonl:1: …%s…", le.Error(), tt.want)
			}
		})
	}
}

func TestReaderGoesOnAfterBadLines(t *testing.T) {
	in := doc + "\n\nnot json\n" + strings.Repeat("x", MaxLineBytes+10) + "\n" + doc
	rd := NewReader(strings.NewReader(in), "f")
	var got []string
	for {
		l, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var le *LineError
		switch {
		case errors.As(err, &le):
			got = append(got, le.Error()[:len("f:N")])
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, "ok"+string(rune('0'+l.Num)))
		}
	}
	want := []string{"ok1", "f:3", "f:4", "ok5"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	v := 2.5e6
	var buf bytes.Buffer
	w := NewWriter(&buf)
	d := Document{URL: "https://www.bloomberg.com/news/x", Title: "<b>Belarus</b> & co", Origin: OriginCurated, Published: "2020-08-28"}
	e := Entity{Schema: SchemaCompany, Ref: "s", Names: []string{"Sandvine"}, Country: "CA", Identifiers: map[string]string{"lei": "X"}}
	c := Claim{Relation: RelSupplied, Subject: "s", Object: "b", Status: StatusReported, Confidence: 0.9, Value: &v, Currency: "USD",
		Evidence: []Evidence{{Document: DocumentID(d.URL), Quote: "as part of a $2.5 million contract"}}, Extractor: "test/1"}
	for _, err := range []error{w.WriteDocument(d), w.WriteEntity(e), w.WriteClaim(c), w.Flush()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(buf.String(), "<b>Belarus</b> & co") {
		t.Errorf("HTML escaped in output: %s", buf.String())
	}
	rd := NewReader(&buf, "rt")
	var lines []Line
	for {
		l, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 3 {
		t.Fatalf("read %d lines, want 3", len(lines))
	}
	d.Type, d.V, d.ID = TypeDocument, Version, DocumentID(d.URL)
	e.Type, e.V = TypeEntity, Version
	c.Type, c.V = TypeClaim, Version
	if !reflect.DeepEqual(*lines[0].Document, d) || !reflect.DeepEqual(*lines[1].Entity, e) || !reflect.DeepEqual(*lines[2].Claim, c) {
		t.Fatalf("round trip changed records:\n%+v\n%+v\n%+v", *lines[0].Document, *lines[1].Entity, *lines[2].Claim)
	}
}

func TestWriterRefusesInvalid(t *testing.T) {
	w := NewWriter(io.Discard)
	if err := w.WriteEntity(Entity{Schema: SchemaCompany, Names: []string{"X"}, Country: "XX"}); err == nil {
		t.Fatal("writer accepted an unknown country")
	}
}

func TestIDsAreDeterministic(t *testing.T) {
	c := Claim{Relation: RelSupplied, Start: "2009", Evidence: []Evidence{{Document: "doc:b", Quote: "one"}, {Document: "doc:a", Quote: "two"}}}
	same := c
	same.Evidence = []Evidence{{Document: "doc:a", Quote: "changed"}, {Document: "doc:b", Quote: "also changed"}}
	same.Status, same.Confidence = StatusConfirmed, 0.3
	if ClaimID(c, "s", "o", "") != ClaimID(same, "s", "o", "") {
		t.Error("claim id changed with quotes, status or evidence order")
	}
	other := c
	other.Start = "2010"
	denial := c
	denial.Stance = StanceDenies
	for name, d := range map[string]string{
		"start":   ClaimID(other, "s", "o", ""),
		"stance":  ClaimID(denial, "s", "o", ""),
		"object":  ClaimID(c, "s", "o2", ""),
		"product": ClaimID(c, "s", "o", "p"),
	} {
		if d == ClaimID(c, "s", "o", "") {
			t.Errorf("claim id ignores %s", name)
		}
	}
	if DocumentID("HTTPS://Example.org:443/a#top") != DocumentID("https://example.org/a") {
		t.Error("document id depends on URL case, default port or fragment")
	}
	if DocumentID("https://example.org/a?x=1") == DocumentID("https://example.org/a?x=2") {
		t.Error("document id ignores the query")
	}
	a := Entity{Schema: SchemaCompany, Names: []string{"Allot  Ltd."}, Country: "IL"}
	b := Entity{Schema: SchemaCompany, Names: []string{"allot ltd."}, Country: "IL"}
	if EntityID(a) != EntityID(b) {
		t.Error("entity id depends on name case or spacing")
	}
	if got := EntityID(Entity{Schema: SchemaCompany, Names: []string{"Cognyte"}, Identifiers: map[string]string{"cik": "0001824814"}}); got != "company:cik:0001824814" {
		t.Errorf("identifier-derived id = %s", got)
	}
	if got := EntityID(Entity{Schema: SchemaCountry, Names: []string{"Azerbaijan"}, Country: "AZ"}); got != "country:AZ" {
		t.Errorf("country id = %s", got)
	}
}

func TestValidDate(t *testing.T) {
	for s, want := range map[string]bool{"2009": true, "2020-09": true, "2020-02-29": true, "2021-02-29": false, "2020-9": false, "20": false, "2020-09-27T00:00:00Z": false} {
		if ValidDate(s) != want {
			t.Errorf("ValidDate(%q) = %v", s, !want)
		}
	}
}

// TestDateBefore: a date is before another only to the precision both
// have, so a month or a year is never before a day inside it.
func TestDateBefore(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"2021-10-24", "2021-10-25", true},
		{"2021-10-25", "2021-10-25", false},
		{"2021-10", "2021-10-25", false},
		{"2021-09", "2021-10-25", true},
		{"2021", "2021-03", false},
		{"2020", "2021-03", true},
		{"2021-11-01", "2021-10", false},
	} {
		if got := DateBefore(tc.a, tc.b); got != tc.want {
			t.Errorf("DateBefore(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestDateSpan(t *testing.T) {
	for in, want := range map[string][2]string{"2024": {"2024-01-01", "2024-12-31"}, "2020-09": {"2020-09-01", "2020-09-31"}, "2020-09-27": {"2020-09-27", "2020-09-27"}} {
		if f, l := DateSpan(in); f != want[0] || l != want[1] {
			t.Errorf("DateSpan(%s) = %s, %s", in, f, l)
		}
	}
}

func TestEscapeURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://e.org/a?b=c#d", "https://e.org/a?b=c#d"},
		{`https://e.org/?q="><script>`, "https://e.org/?q=%22%3E%3Cscript%3E"},
		{"https://e.org/новости a", "https://e.org/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8%20a"},
		{"https://e.org/%20already", "https://e.org/%20already"},
		{"https://e.org/a|b{c}^`\\", "https://e.org/a%7Cb%7Bc%7D%5E%60%5C"},
	} {
		if got := EscapeURL(tc.in); got != tc.want {
			t.Errorf("EscapeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
