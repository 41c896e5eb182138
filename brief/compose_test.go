package brief

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
)

// TestEveryClaimOnceEveryNoteResolves holds the two promises of a brief:
// each claim it covers is stated exactly once, and each footnote leads to
// a document in the graph. It checks the composed brief and the rendered
// Markdown and HTML.
func TestEveryClaimOnceEveryNoteResolves(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	for _, tc := range []struct {
		subject string
		// must are claims of the subject the brief has to cover.
		must func(graph.Claim, string) bool
	}{
		{"company/sandvine", func(graph.Claim, string) bool { return true }},
		{"body/by-ntec", func(c graph.Claim, id string) bool { return c.Relation == "SUPPLIED" && c.Object == id }},
		{"country:AZ", func(c graph.Claim, id string) bool { return c.Relation == "PART_OF" && c.Object == id }},
		{"company/nso-group", func(graph.Claim, string) bool { return true }},
	} {
		t.Run(tc.subject, func(t *testing.T) {
			b, err := Compose(ctx, s, tc.subject, Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			stated := map[string]int{}
			var notes []int
			for _, sec := range b.Sections {
				for _, g := range sec.Groups {
					for _, st := range g.Statements {
						if len(st.Notes) == 0 {
							t.Errorf("statement without a footnote: %s", st.Text)
						}
						notes = append(notes, st.Notes...)
						for _, id := range st.Claims {
							stated[id]++
						}
					}
				}
			}
			for _, st := range b.Summary {
				if len(st.Notes) == 0 {
					t.Errorf("summary sentence without a footnote: %s", st.Text)
				}
				notes = append(notes, st.Notes...)
			}
			for id, n := range stated {
				if n != 1 {
					t.Errorf("claim %s stated %d times", id, n)
				}
			}
			if len(stated) != len(b.Claims) {
				t.Errorf("brief lists %d claims, states %d", len(b.Claims), len(stated))
			}
			own, err := s.ClaimsOf(ctx, b.Subject.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range own {
				if tc.must(c, b.Subject.ID) && stated[c.ID] != 1 {
					t.Errorf("claim %s (%s %s %s) of the subject is not stated", c.ID, c.Subject, c.Relation, c.Object)
				}
			}
			cited := map[int]bool{}
			for _, n := range notes {
				if n < 1 || n > len(b.Sources) {
					t.Fatalf("footnote %d of %d sources", n, len(b.Sources))
				}
				cited[n] = true
			}
			var ids []string
			for i, d := range b.Sources {
				ids = append(ids, d.ID)
				if !cited[i+1] {
					t.Errorf("source %d (%s) is never cited", i+1, d.ID)
				}
			}
			docs, err := s.DocumentsByID(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != len(ids) {
				t.Errorf("%d of %d sources resolve to documents", len(docs), len(ids))
			}

			var md, html bytes.Buffer
			if err := Markdown(&md, b, ""); err != nil {
				t.Fatal(err)
			}
			if err := HTML(&html, b); err != nil {
				t.Fatal(err)
			}
			for n := range len(b.Sources) {
				def := fmt.Sprintf("[^%d]: ", n+1)
				if strings.Count(md.String(), def) != 1 {
					t.Errorf("markdown defines footnote %d %d times", n+1, strings.Count(md.String(), def))
				}
			}
			for _, m := range regexp.MustCompile(`\[\^(\d+)\]`).FindAllStringSubmatch(md.String(), -1) {
				if !strings.Contains(md.String(), "[^"+m[1]+"]: ") {
					t.Errorf("markdown cites undefined footnote %s", m[1])
				}
			}
			for _, m := range regexp.MustCompile(`href="#(src-\d+)"`).FindAllStringSubmatch(html.String(), -1) {
				if !strings.Contains(html.String(), `id="`+m[1]+`"`) {
					t.Errorf("html links to missing %s", m[1])
				}
			}
			for id := range stated {
				if n := strings.Count(html.String(), id); n != 1 {
					t.Errorf("html carries claim %s %d times", id, n)
				}
			}
		})
	}
}

func TestSubjectLookup(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	for _, tc := range []struct {
		subject, want string
		err           error
		errSays       string
	}{
		{subject: "Sandvine", want: "company/sandvine"},
		{subject: "sandvine inc.", want: "company/sandvine"},
		{subject: "NTEC", want: "body/by-ntec"},
		{subject: "by", want: "country:BY"},
		{subject: "Belarus", want: "country:BY"},
		{subject: "Sandvin", err: graph.ErrNotFound, errSays: "Sandvine (company/sandvine)"},
		{subject: "zzqx no such thing", err: graph.ErrNotFound},
		{subject: "", errSays: "no subject"},
	} {
		e, err := Subject(ctx, s, tc.subject)
		switch {
		case tc.want != "" && (err != nil || e.ID != tc.want):
			t.Errorf("Subject(%q) = %s, %v; want %s", tc.subject, e.ID, err, tc.want)
		case tc.want == "" && err == nil:
			t.Errorf("Subject(%q) = %s, want an error", tc.subject, e.ID)
		case tc.err != nil && !errors.Is(err, tc.err):
			t.Errorf("Subject(%q) error %v, want %v", tc.subject, err, tc.err)
		case tc.errSays != "" && (err == nil || !strings.Contains(err.Error(), tc.errSays)):
			t.Errorf("Subject(%q) error %v, want it to say %q", tc.subject, err, tc.errSays)
		}
	}
	if _, err := Compose(ctx, s, "person/khadija-ismayilova", Options{}); err == nil || !strings.Contains(err.Error(), "is a Person") {
		t.Errorf("a brief on a person: %v, want a refusal naming the type", err)
	}
	if _, err := Compose(ctx, s, "country:BY", Options{Kind: Vendor}); err == nil || !strings.Contains(err.Error(), "cannot be the subject of a vendor brief") {
		t.Errorf("a vendor brief on a country: %v", err)
	}
}

func TestSince(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	b, err := Compose(ctx, s, "company/sandvine", Options{Now: fixedNow, Since: "2020-09"})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := Markdown(&text, b, ""); err != nil {
		t.Fatal(err)
	}
	md := text.String()
	for _, want := range []string{"ended on 15 September 2020", "since 26 February 2024", "Francisco Partners owned Sandvine", "since September 2020"} {
		if !strings.Contains(md, want) {
			t.Errorf("brief since 2020-09 lacks %q", want)
		}
	}
	for _, gone := range []string{"from March 2017", "from 2009"} {
		if strings.Contains(md, gone) {
			t.Errorf("brief since 2020-09 still has %q", gone)
		}
	}
}

// TestHostileText loads names, titles and quotes that carry markup and
// checks that no format lets them through as markup.
func TestHostileText(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	doc := records.Document{Type: "document", V: 1, URL: "https://evil.example/report", Title: `</a><script>alert("t")</script>`,
		Publisher: "Evil *Press* | [x](javascript:alert(1))", Published: "2025-01-02", Origin: "curated"}
	vendor := records.Entity{Type: "entity", V: 1, Schema: "Company", Ref: "evil", Names: []string{`<img src=x onerror=alert(1)> Evil_Corp`}, Country: "CA"}
	buyer := records.Entity{Type: "entity", V: 1, Schema: "PublicBody", Ref: "body", Names: []string{"Ministry of `Things` # 1"}, Country: "BY"}
	claim := records.Claim{Type: "claim", V: 1, Relation: "SUPPLIED", Subject: "evil", Object: "body", Status: "reported", Confidence: 0.5,
		Start: "2025", Stage: "delivered", Extractor: "test/1",
		Evidence: []records.Evidence{{Document: records.DocumentID(doc.URL), Quote: `"]]></svg><script>x</script>`}}}
	var buf bytes.Buffer
	w := records.NewWriter(&buf)
	if err := errors.Join(w.WriteDocument(doc), w.WriteEntity(vendor), w.WriteEntity(buyer), w.WriteClaim(claim), w.Flush()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hostile.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := load.File(ctx, s, path, load.Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := Compose(ctx, s, "Ministry of `Things` # 1", Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var md, html bytes.Buffer
	if err := Markdown(&md, b, ""); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&html, b); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", "</svg><"} {
		if strings.Contains(md.String(), bad) {
			t.Errorf("markdown lets %q through", bad)
		}
		if strings.Contains(html.String(), bad) {
			t.Errorf("html lets %q through", bad)
		}
	}
	if !strings.Contains(md.String(), `Evil \*Press\* \| \[x\]`) {
		t.Errorf("markdown does not escape the publisher:\n%s", md.String())
	}
	var pdf bytes.Buffer
	if err := PDF(&pdf, b); err != nil {
		t.Fatal(err)
	}
}

// TestRoundTrips: composing a brief reads the graph a step of its walk at
// a time (the buyers together, each level of owners together), not once
// per entity.
func TestRoundTrips(t *testing.T) {
	s := seeded(t)
	before := s.QueryCount()
	b, err := Compose(context.Background(), s, "company/sandvine", Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	n := s.QueryCount() - before
	t.Logf("%d statements for a brief naming %d entities", n, len(b.Diagram.Nodes))
	if n > 15 || int(n) >= len(b.Diagram.Nodes) {
		t.Errorf("%d statements for %d entities", n, len(b.Diagram.Nodes))
	}
}
