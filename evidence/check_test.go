package evidence_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/scrapers"
)

func readFixture(t *testing.T) evidence.Page {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := evidence.ReadPage(body, "text/html; charset=utf-8", "https://fieldnotes.example/border")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFind(t *testing.T) {
	page := readFixture(t)
	for _, tc := range []struct {
		name, quote string
		want        evidence.Match
	}{
		{"straight quotes for curly ones, a plain space for a non-breaking one",
			`the interior ministry said it had "never bought" equipment from the firm, a denial that sits uneasily beside the customs records`,
			evidence.Match{Found: true, Locator: "¶1"}},
		{"hyphens for em dashes, a capital at the start, a line break inside",
			"Thermal cameras-declared as \"optical instruments\"-cleared\n the port in May 2023",
			evidence.Match{Found: true, Locator: "¶2"}},
		{"a name split by inline markup", "written on the waybill in full: Nordoptik Systems.",
			evidence.Match{Found: true, Locator: "¶2"}},
		{"single curly quotes", "described the contract as 'routine maintenance'",
			evidence.Match{Found: true, Locator: "¶3"}},
		{"soft hyphens in the page", "Neither the company nor its distributor answered our questions",
			evidence.Match{Found: true, Locator: "¶4"}},
		{"across two paragraphs", "as 'routine maintenance'. The other said it was anything but. Neither the company",
			evidence.Match{Found: true}},
		{"a table cell outside the main text", "Consignee Unit 4, State Security Service",
			evidence.Match{Found: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, evidence.Find(page.Passages, tc.quote)); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tc.quote, diff)
			}
		})
	}
}

func TestFindRefusesAndShowsTheClosestPassage(t *testing.T) {
	page := readFixture(t)
	for _, tc := range []struct {
		name, quote, closest string
	}{
		{"a word changed", "the cameras were installed along the southern crossing within weeks",
			"Two officials, speaking on condition of anonymity because they were not authorised to talk to the press, said the cameras were installed along the northern crossing within weeks."},
		// The closest passage to text only a script or a style sheet
		// holds is the page's own: the article's first sentence shares
		// "the ministry", none shares "drones" or "purchase".
		{"text in a script is not the page's", "the ministry bought forty drones from Acme",
			"In a statement sent late on Friday, the interior ministry said it had “never bought” equipment from the firm, a denial that sits uneasily beside the customs records we obtained."},
		{"text in a style sheet is not the page's", "confirmed the purchase", ""},
		{"the navigation is not quoted for a claim, but it is text: a miss beside it still finds the article",
			"the thermal cameras cleared customs in June 2023", "Those records show that a shipment of thermal cameras—declared as “optical instruments”—cleared the port in May 2023, consigned to a state security unit."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := evidence.Find(page.Passages, tc.quote)
			if m.Found {
				t.Fatalf("Find(%q) found it", tc.quote)
			}
			if tc.closest != "" && m.Closest.Text != tc.closest {
				t.Errorf("closest = %q (score %.2f), want %q", m.Closest.Text, m.Score, tc.closest)
			}
			if c := strings.ToLower(m.Closest.Text); strings.Contains(c, "drones") || strings.Contains(c, "purchase") {
				t.Errorf("the closest passage comes from a script or a style sheet: %q", m.Closest.Text)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  “Quoted”\u00a0 text\n\tand ‘more’ ":      `"quoted" text and 'more'`,
		"ﬁle – type — dash − minus":                 "file - type - dash - minus",
		"in\u00advisible\u200b and \u202eRLO\u202c": "invisible and rlo",
		"Ｆｕｌｌｗｉｄｔｈ":                                 "fullwidth",
	} {
		if got := evidence.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFetch(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /private/\n"))
		case "/border", "/private/border":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		case "/photo":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	allow, _ := scrapers.ParseAllow("127.0.0.1")
	ch, err := evidence.NewChecker(evidence.Config{ArchiveDir: t.TempDir(), Allow: allow})
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	ctx := context.Background()
	got, err := ch.Fetch(ctx, srv.URL+"/border")
	if err != nil {
		t.Fatal(err)
	}
	d := got.Document
	if d.SHA256 == "" || !strings.Contains(d.Archive, ".warc.gz#<urn:uuid:") || d.Retrieved == "" || d.Origin != "fetched" {
		t.Errorf("document lacks its provenance: %+v", d)
	}
	if d.Title != "Border cameras: who sold what | Field Notes" || d.Publisher != "Field Notes" || d.Published != "2025-03-14" {
		t.Errorf("document metadata: %+v", d)
	}
	for path, want := range map[string]error{"/private/border": scrapers.ErrRobots, "/gone": scrapers.ErrStatus, "/photo": evidence.ErrNotText} {
		if _, err := ch.Fetch(ctx, srv.URL+path); !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", path, err, want)
		}
	}

	guarded, err := evidence.NewChecker(evidence.Config{ArchiveDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer guarded.Close()
	if _, err := guarded.Fetch(ctx, srv.URL+"/border"); !errors.Is(err, scrapers.ErrRefusedAddress) {
		t.Errorf("without an allowlist, loopback: err = %v, want ErrRefusedAddress", err)
	}
}
