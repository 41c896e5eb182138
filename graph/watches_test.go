package graph_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

// TestWatches: a watch follows an entity, or a country at a status, from
// its creation on; the notifier gives it one entry per matching claim
// change, however often or however many at once it runs.
func TestWatches(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := s.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}); err != nil {
		t.Fatal(err)
	}
	ents := []records.Entity{{ID: "country:XX", Schema: "Country", Names: []string{"Xland"}, Country: "XX"},
		{ID: "v", Schema: "Company", Names: []string{"Vendor"}, Country: "CA"}, {ID: "v2", Schema: "Company", Names: []string{"Other Vendor"}},
		{ID: "b", Schema: "PublicBody", Names: []string{"Body"}, Country: "XX"}, {ID: "y", Schema: "PublicBody", Names: []string{"Y Body"}, Country: "YY"}}
	if _, err := s.WriteEntities(ctx, ents); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []graph.Watch{
		{Entities: []string{"v"}},
		{Name: "nothing"},
		{Name: "unknown", Entities: []string{"nobody"}},
		{Name: "relation", Countries: []string{"XX"}, Relations: []string{"SOLD"}},
		{Name: "status", Countries: []string{"XX"}, MinStatus: "retracted"},
	} {
		if _, err := s.CreateWatch(ctx, bad); !errors.Is(err, graph.ErrWatchInvalid) {
			t.Errorf("watch %+v: %v, want ErrWatchInvalid", bad, err)
		}
	}
	vendor, err := s.CreateWatch(ctx, graph.Watch{Name: "Vendor", Owner: "ngo", Entities: []string{"v"}})
	if err != nil {
		t.Fatal(err)
	}
	xland, err := s.CreateWatch(ctx, graph.Watch{Name: "Xland, confirmed sales", Owner: "ngo", Countries: []string{"xx"},
		Relations: []string{"SUPPLIED"}, MinStatus: "confirmed"})
	if err != nil {
		t.Fatal(err)
	}
	sale := claimRow("SUPPLIED", "v", "b", "asserts", "reported", "2020", "doc:a")
	elsewhere := claimRow("SUPPLIED", "v2", "y", "asserts", "confirmed", "2021", "doc:a")
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: sale}, {Claim: elsewhere}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewClaim(ctx, sale.ID, "confirmed", "seen the contract", "editor", nil); err != nil {
		t.Fatal(err)
	}
	// Two notifiers at once, then once more: each change makes one entry.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.NotifyWatches(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n, err := s.NotifyWatches(ctx); err != nil || n != 0 {
		t.Errorf("notifying again: %d entries, %v", n, err)
	}
	entries := func(w graph.Watch) []string {
		t.Helper()
		es, err := s.WatchEntries(ctx, w.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Kind+" "+e.Claim.ID+" "+e.Claim.Status+" "+e.Claim.Evidence[0].Quote)
		}
		return out
	}
	// Newest first, each claim as it is now.
	if diff := cmp.Diff([]string{"updated " + sale.ID + " confirmed q reported asserts", "created " + sale.ID + " confirmed q reported asserts"}, entries(vendor)); diff != "" {
		t.Errorf("the vendor's watch (-want +got):\n%s", diff)
	}
	// Its creation is matched on the claim as the notifier found it:
	// confirmed by then.
	if diff := cmp.Diff(entries(vendor), entries(xland)); diff != "" {
		t.Errorf("Xland's watch, confirmed only (-want +got):\n%s", diff)
	}
	// A retraction reaches every watch that follows the claim.
	if _, err := s.ReviewClaim(ctx, sale.ID, "retracted", "a misreading", "editor", nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.NotifyWatches(ctx); err != nil || n != 2 {
		t.Errorf("notifying the retraction: %d entries, %v", n, err)
	}
	if got := entries(xland); len(got) != 3 || got[0] != "retracted "+sale.ID+" retracted q reported asserts" {
		t.Errorf("Xland's watch after the retraction: %v", got)
	}
	// A watch made now follows what comes next only.
	late, err := s.CreateWatch(ctx, graph.Watch{Name: "late", Owner: "other", Entities: []string{"v"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.NotifyWatches(ctx); err != nil {
		t.Fatal(err)
	}
	if got := entries(late); len(got) != 0 {
		t.Errorf("a new watch got the changes before it: %v", got)
	}

	ws, err := s.Watches(ctx, "ngo")
	if err != nil || len(ws) != 2 {
		t.Fatalf("the ngo's watches: %+v, %v", ws, err)
	}
	for _, w := range ws {
		if w.ID == xland.ID && !cmp.Equal(w.Countries, []string{"XX"}) {
			t.Errorf("Xland's watch is kept as %+v", w)
		}
	}
	if err := s.DeleteWatch(ctx, vendor.ID, "other"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleting another's watch: %v", err)
	}
	if err := s.DeleteWatch(ctx, vendor.ID, "ngo"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WatchByID(ctx, vendor.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("a deleted watch: %v", err)
	}
	if got := entries(vendor); len(got) != 0 {
		t.Errorf("a deleted watch's entries: %v", got)
	}
	// One key keeps a bounded number.
	for i := range graph.MaxWatches {
		if _, err := s.CreateWatch(ctx, graph.Watch{Name: fmt.Sprint("watch ", i), Owner: "busy", Countries: []string{"XX"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateWatch(ctx, graph.Watch{Name: "one more", Owner: "busy", Countries: []string{"XX"}}); !errors.Is(err, graph.ErrWatchInvalid) {
		t.Errorf("watch %d of one key: %v", graph.MaxWatches+1, err)
	}
}
