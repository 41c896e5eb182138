package watch

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"github.com/exportwatch/exportwatch/brief"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records/hostile"
)

// hostileEntries are a watch's entries whose every text from a source (the
// parties' names, the quote, the publisher) is an attack.
func hostileEntries() (graph.Watch, []graph.WatchEntry) {
	w := graph.Watch{ID: "0123456789abcdef0123456789abcdef", Name: "Vendors " + hostile.Script, Entities: []string{hostile.Vendor},
		MinStatus: "reported", Created: "2026-12-01T10:00:00Z"}
	doc := graph.Document{ID: "doc:h", URL: hostile.URL, Publisher: hostile.Text, Archive: "https://archive.example/h"}
	c := graph.Claim{ID: "claim:h", Relation: "SUPPLIED", Subject: hostile.Vendor, Object: hostile.Buyer, Status: "reported", Stance: "asserts",
		Ends:     []graph.Entity{{ID: hostile.Vendor, Name: hostile.Text, Schema: "Company"}, {ID: hostile.Buyer, Name: hostile.Markdown, Schema: "PublicBody"}},
		Evidence: []graph.Evidence{{Document: doc, Quote: hostile.Text}}}
	retracted := c
	retracted.Status = "retracted"
	return w, []graph.WatchEntry{
		{Watch: w.ID, Cursor: "7.2", At: "2026-12-02T09:00:00Z", Kind: graph.ChangeRetracted, Claim: retracted},
		{Watch: w.ID, Cursor: "3", At: "2026-12-01T11:00:00Z", Kind: graph.ChangeCreated, Claim: c},
	}
}

// TestAtomReadByFeedReaders: a watch's feed, its texts all hostile, is
// read by Go's XML decoder and by feedparser (the Python feed parser that
// feed readers build on) as valid Atom, each entry's title, summary and
// content as plain text holding the attacks as written.
func TestAtomReadByFeedReaders(t *testing.T) {
	w, entries := hostileEntries()
	body, err := Atom(w, entries, "https://watch.example/")
	if err != nil {
		t.Fatal(err)
	}
	var f atomFeed
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&f); err != nil {
		t.Fatalf("the feed is not XML: %v\n%s", err, body)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || len(f.Entries) != 2 || f.Entries[1].Content.Text != content(brief.IsolateClaim(entries[1].Claim)) {
		t.Fatalf("decoded: %+v", f)
	}
	if bytes.Contains(body, []byte("<script")) || bytes.Contains(body, []byte("<img")) {
		t.Fatalf("markup from a source reached the feed unescaped:\n%s", body)
	}

	path := filepath.Join(t.TempDir(), "watch.atom")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	got := readFeed(t, path)
	if got.Bozo || got.Version != "atom10" {
		t.Fatalf("feedparser: version %q, not well formed: %v %s", got.Version, got.Bozo, got.BozoException)
	}
	if got.Title != "exportwatch: "+brief.Isolate(w.Name) || got.ID != "urn:exportwatch:watch:"+w.ID || got.Author != "exportwatch" {
		t.Errorf("the feed: %+v", got)
	}
	if want := []link{{"self", "https://watch.example/feeds/watch/" + w.ID + ".atom"}, {"alternate", "https://watch.example/"}}; !cmp.Equal(want, got.Links) {
		t.Errorf("the feed's links: %v", got.Links)
	}
	for i, e := range got.Entries {
		c := entries[i].Claim
		text := brief.Isolate(hostile.Text)
		if e.TitleType != "text/plain" || e.SummaryType != "text/plain" || len(e.ContentType) != 1 || e.ContentType[0] != "text/plain" {
			t.Errorf("entry %d is not all plain text: %+v", i, e)
		}
		if !strings.HasPrefix(e.Title, kindWords[entries[i].Kind]+": "+text+" supplied ") || !strings.HasSuffix(e.Title, hostile.Markdown) {
			t.Errorf("entry %d's title: %q", i, e.Title)
		}
		if !strings.Contains(e.Content[0], text) || !strings.Contains(e.Summary, text) {
			t.Errorf("entry %d lost its quote's text:\n%q\n%q", i, e.Summary, e.Content[0])
		}
		wantLinks := []link{{"alternate", "https://watch.example/entity/company/hostile-vendor"}, {"related", hostile.URL}}
		if !cmp.Equal(wantLinks, e.Links) || e.ID != "urn:exportwatch:change:"+entries[i].Cursor+":"+c.ID || e.Updated != entries[i].At {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if !strings.HasPrefix(got.Entries[0].Summary, "A report by") || !strings.Contains(got.Entries[0].Summary, "has been retracted") {
		t.Errorf("a retraction is worded as one: %q", got.Entries[0].Summary)
	}

	// Go's feed readers read it the same way.
	g, err := gofeed.NewParser().ParseString(string(body))
	if err != nil || g.FeedType != "atom" || g.FeedVersion != "1.0" || g.Title != got.Title || len(g.Items) != len(got.Entries) {
		t.Fatalf("gofeed: %v %+v", err, g)
	}
	for i, it := range g.Items {
		e := got.Entries[i]
		if it.GUID != e.ID || it.Title != e.Title || it.Description != e.Summary || it.Content != e.Content[0] || it.Link != e.Links[0].Href {
			t.Errorf("gofeed's entry %d differs from feedparser's:\n%+v\n%+v", i, it, e)
		}
	}
}

type link struct{ Rel, Href string }

type parsedFeed struct {
	Bozo          bool   `json:"bozo"`
	BozoException string `json:"bozo_exception"`
	Version       string `json:"version"`
	Title         string `json:"title"`
	ID            string `json:"id"`
	Author        string `json:"author"`
	Links         []link `json:"links"`
	Entries       []struct {
		ID, Title, Updated, Summary string
		TitleType                   string   `json:"title_type"`
		SummaryType                 string   `json:"summary_type"`
		Content                     []string `json:"content"`
		ContentType                 []string `json:"content_type"`
		Links                       []link   `json:"links"`
	} `json:"entries"`
}

// readFeed runs testdata/readfeed.py: feedparser (installed by make
// pydeps) reads the feed and reports what a feed reader would show.
func readFeed(t *testing.T, path string) parsedFeed {
	t.Helper()
	lib, _ := filepath.Abs(filepath.Join("..", ".cache", "python"))
	if _, err := os.Stat(filepath.Join(lib, "feedparser")); err != nil {
		t.Fatalf("feedparser is not installed: run make pydeps (%v)", err)
	}
	cmd := exec.Command("/usr/bin/python3", filepath.Join("testdata", "readfeed.py"), path)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+lib)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("readfeed: %v\n%s", err, stderr.String())
	}
	var f parsedFeed
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatalf("readfeed: %v", err)
	}
	return f
}
