package records

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fuzzSeeds are lines like those of TestReaderValidation: one of each
// record type, and the faults checkText and the decoder must catch.
var fuzzSeeds = []string{
	doc,
	`{"type":"document","v":1,"url":"https://e.org/","origin":"fetched","retrieved":"2026-11-01T10:00:00Z","sha256":"` + strings.Repeat("a", 64) + `","archive":"run.warc.gz#urn:uuid:1"}`,
	`{"type":"document","v":1,"url":"https://e.org/?q=%22%3E%3Cscript%3E","origin":"curated","title":"url"}`,
	`{"type":"entity","v":1,"schema":"Company","ref":"a","names":["Allot Ltd."],"country":"IL","identifiers":{"lei":"A","cik":"1"}}`,
	`{"type":"entity","v":1,"schema":"Incident","names":["I"],"kind":"shutdown","start":"2020-09-27","end":"2020-11-12"}`,
	`{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.8,"start":"2009","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"seed/1"}`,
	`{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"value":1e15,"currency":"IRR","evidence":[{"document":"doc:1","quote":"q"},{"document":"doc:2","paraphrase":"p"}],"extractor":"x"}`,
	`{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"C:\\u0000"}],"extractor":"x"}`,
	`{"type":"suggestion","v":1,"relation":"SUPPLIED","subject":{"name":"Sandvine","schema":"Company","country":"CA"},"object":{"id":"country:EG","name":"Egypt","schema":"Country"},"evidence":{"document":"doc:1","quote":"Sandvine sold to Egypt."},"confidence":0.4,"reasons":["hedged"],"extractor":"x"}`,
	// Faults.
	`{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","relation":"SUPPLIED","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`,
	`{"type":"entity","v":1,"schema":"Company","names":["X"],"identifiers":{"lei":"A","lei":"B"}}`,
	`{"type":"claim","v":1,"relation":"OWNS","subject":"a","object":"b","status":"reported","confidence":0.5,"evidence":[{"document":"doc:1","quote":"q\u0000"}],"extractor":"x"}`,
	`{"type":"entity","v":1,"schema":"Company","names":["Allot` + "\xff" + ` Ltd."],"country":"IL"}`,
	`{"type":"claim","v":1,"relation":"SUPPLIED","subject":"a","object":"b","status":"reported","confidence":0.5,"value":1e308,"currency":"USD","evidence":[{"document":"doc:1","quote":"q"}],"extractor":"x"}`,
	`{"type":"document",`,
	`{"v":1}`,
	"\ufeff" + doc,
}

// FuzzReader reads a file of record lines. Each call of Next gives a
// record, a *LineError or io.EOF, nothing else; an accepted record passes
// its own validation, keeps none of what checkText refuses, and comes
// back unchanged through the writer; reading the same bytes twice gives
// the same lines.
func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s + "\n"))
	}
	f.Add([]byte(strings.Join(fuzzSeeds, "\n")))
	matches, err := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// Edge cases: nothing, blank lines, a cut-off line, deep nesting, a
	// huge number, invalid UTF-8, a case-folded duplicate key.
	f.Add([]byte(""))
	f.Add([]byte("\n\r\n \n"))
	f.Add([]byte(`{"type":"claim","v":1,"relation":"OWNS","subj`))
	f.Add([]byte(`{"type":"entity","v":1,"x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}\n"))
	f.Add([]byte(`{"type":"claim","v":1e999999,"confidence":123456789012345678901234567890e300}` + "\n"))
	f.Add([]byte("{\"type\":\"document\",\"v\":1,\"url\":\"https://e.org/\xc3\",\"origin\":\"curated\"}\n"))
	// A key written with an escape is the same key to the decoder.
	f.Add([]byte(`{"type":"entity","v":1,"schema":"Company","names":["Alpha"],"n\u0061mes":["Beta"]}` + "\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		first := readAll(t, data)
		if diff := cmp.Diff(first, readAll(t, data)); diff != "" {
			t.Fatalf("reading the same bytes twice differs (-first +second):\n%s", diff)
		}
		for _, r := range first {
			if r.Line == nil {
				continue
			}
			checkAccepted(t, data, *r.Line)
		}
	})
}

// result is one answer of Next: a line or a *LineError's text.
type result struct {
	Line *Line
	Err  string
}

func readAll(t *testing.T, data []byte) []result {
	rd := NewReader(bytes.NewReader(data), "fuzz.jsonl")
	var out []result
	last := 0
	for {
		l, err := rd.Next()
		if errors.Is(err, io.EOF) {
			// The end stays the end.
			if _, again := rd.Next(); !errors.Is(again, io.EOF) {
				t.Fatalf("Next after io.EOF returned %v", again)
			}
			return out
		}
		var le *LineError
		switch {
		case errors.As(err, &le):
			if !cmp.Equal(l, Line{}) {
				t.Fatalf("a *LineError came with a line: %+v", l)
			}
			if le.Line <= last || le.File != "fuzz.jsonl" || le.Reason == "" {
				t.Fatalf("line error %q after line %d", le.Error(), last)
			}
			last = le.Line
			out = append(out, result{Err: le.Error()})
		case err != nil:
			t.Fatalf("reading from memory failed with %T %v, not a *LineError", err, err)
		default:
			set := 0
			for _, p := range []bool{l.Document != nil, l.Entity != nil, l.Claim != nil, l.Suggestion != nil} {
				if p {
					set++
				}
			}
			if set != 1 {
				t.Fatalf("line %d sets %d records, want exactly one: %+v", l.Num, set, l)
			}
			if l.Num <= last {
				t.Fatalf("line %d after line %d", l.Num, last)
			}
			last = l.Num
			out = append(out, result{Line: &l})
		}
		if len(out) > len(data)+1 {
			t.Fatalf("%d results from %d bytes", len(out), len(data))
		}
	}
}

// checkAccepted checks a line the reader accepted: it validates, it holds
// no NUL, no object on it repeats a key the decoder would merge (as
// checkText promises), and the writer writes it back as the same record.
func checkAccepted(t *testing.T, data []byte, l Line) {
	var rec any
	var err error
	switch {
	case l.Document != nil:
		rec, err = *l.Document, l.Document.Validate()
	case l.Entity != nil:
		rec, err = *l.Entity, l.Entity.Validate()
	case l.Claim != nil:
		rec, err = *l.Claim, l.Claim.Validate()
	case l.Suggestion != nil:
		rec, err = *l.Suggestion, l.Suggestion.Validate()
	}
	if err != nil {
		t.Fatalf("line %d accepted but invalid: %v", l.Num, err)
	}
	enc, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("line %d: %v", l.Num, err)
	}
	var tree any
	if err := json.Unmarshal(enc, &tree); err != nil {
		t.Fatalf("line %d: %v", l.Num, err)
	}
	if hasNUL(tree) {
		t.Fatalf("line %d accepted with a NUL: %s", l.Num, enc)
	}
	raw := nthLine(data, l.Num)
	if dup := foldedDuplicateKey(raw); dup != "" {
		t.Fatalf("line %d accepted with the key %s twice (as the decoder matches keys): %s", l.Num, dup, raw)
	}

	var buf bytes.Buffer
	w := NewWriter(&buf)
	want := l
	switch {
	case l.Document != nil:
		d := *l.Document
		if d.ID == "" {
			d.ID = DocumentID(d.URL) // the writer fills it in
		}
		want.Document = &d
		err = w.WriteDocument(*l.Document)
	case l.Entity != nil:
		err = w.WriteEntity(*l.Entity)
	case l.Claim != nil:
		err = w.WriteClaim(*l.Claim)
	case l.Suggestion != nil:
		s := *l.Suggestion
		s.ID = SuggestionID(s) // the writer fills it in
		want.Suggestion = &s
		err = w.WriteSuggestion(*l.Suggestion)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		t.Fatalf("line %d accepted by the reader, refused by the writer: %v", l.Num, err)
	}
	back, err := NewReader(&buf, "rewritten").Next()
	if err != nil {
		t.Fatalf("line %d as the writer wrote it is refused: %v\n%s", l.Num, err, buf.Bytes())
	}
	want.Num = 1
	// omitempty drops an empty list or map, which reads back as nil.
	if diff := cmp.Diff(want, back, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("line %d changed through the writer (-read +rewritten):\n%s", l.Num, diff)
	}
}

// hasNUL says whether a decoded JSON value holds a NUL in a key or a string.
func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, 0)
	case []any:
		for _, x := range v {
			if hasNUL(x) {
				return true
			}
		}
	case map[string]any:
		for k, x := range v {
			if strings.ContainsRune(k, 0) || hasNUL(x) {
				return true
			}
		}
	}
	return false
}

// nthLine returns line n (1-based) of data as the reader sees it.
func nthLine(data []byte, n int) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n < 1 || n > len(lines) {
		return nil
	}
	raw := lines[n-1]
	if n == 1 {
		raw = bytes.TrimPrefix(raw, bom)
	}
	return bytes.TrimSpace(raw)
}

// foldedDuplicateKey returns a key that appears twice in one object of a
// JSON value as encoding/json matches keys to fields (decoded, and
// compared without case), "" when none does. It reads the value through
// the decoder's own tokens, not a scanner like the one under test.
func foldedDuplicateKey(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		object  bool
		keys    []string
		wantKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && top.object {
					top.wantKey = true // the object or array was a value
				}
				stack = append(stack, &frame{object: d == '{', wantKey: d == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		}
		if top == nil || !top.object {
			continue
		}
		if !top.wantKey {
			top.wantKey = true // a value: the next string is a key
			continue
		}
		k := tok.(string)
		for _, seen := range top.keys {
			if strings.EqualFold(seen, k) {
				return strconv.Quote(k)
			}
		}
		top.keys = append(top.keys, k)
		top.wantKey = false
	}
}
