package graph_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

// feed reads the whole feed after a cursor, a page of n at a time, as
// "type kind id" lines, and returns them with the cursor it ended on.
func feed(t *testing.T, s *graph.Store, after string, n int, types ...string) ([]string, string) {
	t.Helper()
	var out []string
	for {
		page, err := s.Changes(context.Background(), after, n, types)
		if err != nil {
			t.Fatalf("changes after %q: %v", after, err)
		}
		for _, c := range page.Changes {
			out = append(out, c.Type+" "+c.Kind+" "+c.ID)
		}
		after = page.EndCursor
		if !page.HasMore {
			return out, after
		}
	}
}

// TestChangesFeed follows the feed through the writes that append to it:
// a load's documents, entities and claims, a re-load that changes nothing,
// a retraction, an editor's edit, a merge and its undoing; reads it in
// pages and by type; and expires its cursors with the retention.
func TestChangesFeed(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if got, end := feed(t, s, "", 10); len(got) != 0 || end != "0" {
		t.Fatalf("an empty graph's feed: %v, ending at %q", got, end)
	}
	if _, err := s.Changes(ctx, "3", 10, nil); !errors.Is(err, graph.ErrBadCursor) {
		t.Errorf("a cursor past an empty feed's head: %v", err)
	}
	docs := []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}
	ents := []records.Entity{{ID: "v", Schema: "Company", Names: []string{"Vendor"}}, {ID: "v2", Schema: "Company", Names: []string{"Vendor Ltd"}},
		{ID: "b", Schema: "PublicBody", Names: []string{"Body"}}}
	claim := claimRow("SUPPLIED", "v", "b", "asserts", "reported", "2012", "doc:a")
	other := claimRow("SUPPLIED", "v2", "b", "asserts", "reported", "2014", "doc:a")
	load := func() {
		t.Helper()
		if _, err := s.WriteDocuments(ctx, docs); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteEntities(ctx, ents); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: claim}, {Claim: other}}); err != nil {
			t.Fatal(err)
		}
	}
	load()
	want := []string{"document created doc:a", "entity created v", "entity created v2", "entity created b",
		"claim created " + claim.ID, "claim created " + other.ID}
	got, head := feed(t, s, "", 100)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("after a load (-want +got):\n%s", diff)
	}
	load()
	if got, end := feed(t, s, head, 100); len(got) != 0 || end != head {
		t.Errorf("a second load of the same records appended %v (head %q, then %q)", got, head, end)
	}

	claim.Status = records.StatusRetracted
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: claim}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditEntity(ctx, "b", graph.EntityEdit{Name: "The Body"}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeEntities(ctx, "v", "v2", "editor"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, graph.JudgementID("v", "v2"), graph.JudgeNotSame, "", "editor"); err != nil {
		t.Fatal(err)
	}
	want = []string{"claim retracted " + claim.ID, "entity updated b",
		"entity merged v2", "entity updated v", "claim updated " + other.ID,
		"entity created v2", "entity updated v", "claim updated " + other.ID}
	got, end := feed(t, s, head, 100)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after a retraction, an edit, a merge and its undoing (-want +got):\n%s", diff)
	}
	// Read a change at a time, or by type, the feed says the same.
	if one, _ := feed(t, s, head, 1); !cmp.Equal(one, got) {
		t.Errorf("read one at a time: %v", one)
	}
	claims, _ := feed(t, s, "", 3, graph.ChangeClaim, graph.ChangeDocument)
	if diff := cmp.Diff([]string{"document created doc:a", "claim created " + claim.ID, "claim created " + other.ID,
		"claim retracted " + claim.ID, "claim updated " + other.ID, "claim updated " + other.ID}, claims); diff != "" {
		t.Errorf("claims and documents only (-want +got):\n%s", diff)
	}

	for _, bad := range []string{"x", "-1", "3.y", "99"} {
		if _, err := s.Changes(ctx, bad, 10, nil); !errors.Is(err, graph.ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", bad, err)
		}
	}
	if _, err := s.Changes(ctx, "", 10, []string{"edge"}); err == nil {
		t.Error("an unknown change type was taken")
	}

	// The retention removes every set written before its cutoff: a cursor
	// from before then expires; the head does not.
	n, err := s.PruneChanges(ctx, time.Now().Add(time.Hour))
	if err != nil || n == 0 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	if _, err := s.Changes(ctx, head, 10, nil); !errors.Is(err, graph.ErrCursorExpired) {
		t.Errorf("a cursor before the pruned sets: %v, want ErrCursorExpired", err)
	}
	if got, _ := feed(t, s, end, 10); len(got) != 0 {
		t.Errorf("after the head: %v", got)
	}
}

// TestChangesFeedAtomic: a write that fails appends nothing, and writers
// at once append sets that a reader following the feed meanwhile sees
// each exactly once: a set never commits after a reader has passed its
// number.
func TestChangesFeedAtomic(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := s.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}); err != nil {
		t.Fatal(err)
	}
	_, head := feed(t, s, "", 10)
	// A claim whose object is not in the graph: the transaction fails.
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: claimRow("SUPPLIED", "nobody", "nowhere", "asserts", "reported", "", "doc:a")}}); err == nil {
		t.Fatal("a claim without its ends was written")
	}
	if got, _ := feed(t, s, head, 10); len(got) != 0 {
		t.Errorf("a failed write appended %v", got)
	}

	const writers, each = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				e := records.Entity{ID: fmt.Sprintf("w%d-%d", w, i), Schema: "Company", Names: []string{fmt.Sprintf("Writer %d number %d", w, i)}}
				if _, err := s.WriteEntities(ctx, []records.Entity{e}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	cursor := head
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		page, err := s.Changes(ctx, cursor, 7, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			seen[c.ID]++
		}
		cursor = page.EndCursor
		if finished && page.HasMore {
			finished = false
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != writers*each {
		t.Errorf("the reader saw %d of %d entities", len(seen), writers*each)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", id, n)
		}
	}
}
