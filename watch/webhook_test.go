package watch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// receiver is a webhook receiver that verifies every post's signature,
// answers the first fail posts with 500, and keeps what it got.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	fail   int
	posts  []Payload
	times  []time.Time
	ids    map[string]int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := Verify(rc.secret, r.Header.Get(SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		rc.t.Errorf("a post that does not verify: %v", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil || p.ID != r.Header.Get(DeliveryHeader) {
		rc.t.Errorf("payload %s (%v), delivery %q", body, err, r.Header.Get(DeliveryHeader))
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.posts = append(rc.posts, p)
	rc.times = append(rc.times, time.Now())
	if rc.fail > 0 {
		rc.fail--
		http.Error(w, "not now", http.StatusInternalServerError)
		return
	}
	rc.ids[p.ID]++ // what a receiver that de-duplicates keeps
}

func (rc *receiver) got() (posts int, unique map[string]int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.posts), rc.ids
}

// hooked is a store with a vendor, a buyer, a document, and a watch of the
// vendor whose webhook is a receiver failing its first fail posts.
func hooked(t *testing.T, fail int) (*graph.Store, graph.Watch, *receiver) {
	t.Helper()
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := s.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated", Publisher: "A Paper"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteEntities(ctx, []records.Entity{{ID: "v", Schema: "Company", Names: []string{"Vendor"}}, {ID: "b", Schema: "PublicBody", Names: []string{"Body"}}}); err != nil {
		t.Fatal(err)
	}
	rc := &receiver{t: t, fail: fail, ids: map[string]int{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	w, err := s.CreateWatch(ctx, graph.Watch{Name: "Vendor", Owner: "ngo", Entities: []string{"v"}, Webhook: srv.URL + "/hook"})
	if err != nil {
		t.Fatal(err)
	}
	rc.secret = w.Secret
	return s, w, rc
}

// sell writes one claim of the vendor's and the watches' entries.
func sell(t *testing.T, s *graph.Store, year string) {
	t.Helper()
	c := records.Claim{Relation: "SUPPLIED", Subject: "v", Object: "b", Stance: "asserts", Status: "reported", Confidence: 0.6, Start: year,
		Evidence: []records.Evidence{{Document: "doc:a", Quote: "Vendor sold it to Body in " + year}}, Extractor: "test"}
	c.ID = records.ClaimID(c, c.Subject, c.Object, "")
	if _, err := s.WriteClaims(context.Background(), []graph.ClaimWrite{{Claim: c}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NotifyWatches(context.Background()); err != nil {
		t.Fatal(err)
	}
}

var local = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

// deliverUntil runs the deliverer until cond holds, or fails after ten
// seconds.
func deliverUntil(t *testing.T, d *Deliverer, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("not delivered within ten seconds")
		}
		if _, err := d.Deliver(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWebhookRetried: a receiver that fails five times gets the entry
// again after each failure, the waits growing, and the sixth delivers it.
func TestWebhookRetried(t *testing.T) {
	s, w, rc := hooked(t, 5)
	sell(t, s, "2020")
	d := &Deliverer{Store: s, Client: NewClient(local), Backoff: func(n int) time.Duration { return 40 * time.Millisecond << (n - 1) }}
	deliverUntil(t, d, func() bool { _, u := rc.got(); return len(u) == 1 })
	posts, _ := rc.got()
	if posts != 6 {
		t.Errorf("%d posts, want 6 (five failures, then the delivery)", posts)
	}
	for i := 1; i < len(rc.times); i++ {
		if gap, want := rc.times[i].Sub(rc.times[i-1]), 40*time.Millisecond<<(i-1); gap < want {
			t.Errorf("attempt %d came %v after the one before, before its backoff of %v", i+1, gap, want)
		}
	}
	p := rc.posts[5]
	if p.Watch.ID != w.ID || p.Kind != "created" || p.Claim.Subject.Name != "Vendor" || p.Claim.Evidence[0].Quote != "Vendor sold it to Body in 2020" ||
		!strings.Contains(p.Claim.Sentence, "Vendor supplied technology to Body") {
		t.Errorf("the payload: %+v", p)
	}
	states, err := s.DeliveryStates(context.Background(), w.ID)
	if err != nil || len(states) != 1 {
		t.Fatalf("states: %v %v", states, err)
	}
	for _, st := range states {
		if st.State != graph.DeliveryDelivered || st.Attempts != 6 {
			t.Errorf("the entry's delivery: %+v", st)
		}
	}
}

// TestWebhookGivesUp: a receiver that never answers 2xx has the entry
// kept as failed, with the last error, once the retrying time is over;
// an editor's retry delivers it when the receiver is back.
func TestWebhookGivesUp(t *testing.T) {
	s, w, rc := hooked(t, 1000)
	sell(t, s, "2021")
	d := &Deliverer{Store: s, Client: NewClient(local), Backoff: func(int) time.Duration { return 30 * time.Millisecond }, GiveUp: 300 * time.Millisecond}
	ctx := context.Background()
	deliverUntil(t, d, func() bool {
		states, err := s.DeliveryStates(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range states {
			return st.State == graph.DeliveryFailed && strings.Contains(st.LastError, "500 Internal Server Error")
		}
		return false
	})
	rc.mu.Lock()
	rc.fail = 0
	rc.mu.Unlock()
	if n, err := s.RetryDeliveries(ctx, w.ID); err != nil || n != 1 {
		t.Fatalf("retry: %d, %v", n, err)
	}
	deliverUntil(t, d, func() bool { _, u := rc.got(); return len(u) == 1 })
	if _, err := s.RetryDeliveries(ctx, "nothing"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("retrying a watch that is not there: %v", err)
	}
}

// TestWebhookAfterACrash: the server dies after a write, before any
// notification, and then after posting an entry, before recording it.
// Restarted, it delivers every entry; the receiver, de-duplicating by id,
// has each exactly once.
func TestWebhookAfterACrash(t *testing.T) {
	s, w, rc := hooked(t, 0)
	ctx := context.Background()
	// The write is committed with its change; the notifier never ran.
	c := records.Claim{Relation: "SUPPLIED", Subject: "v", Object: "b", Stance: "asserts", Status: "reported", Confidence: 0.6,
		Evidence: []records.Evidence{{Document: "doc:a", Quote: "Vendor sold it"}}, Extractor: "test"}
	c.ID = records.ClaimID(c, "v", "b", "")
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: c}}); err != nil {
		t.Fatal(err)
	}
	// Restarted: it notifies, posts, and dies before recording the post.
	if _, err := s.NotifyWatches(ctx); err != nil {
		t.Fatal(err)
	}
	dying, cancel := context.WithCancel(ctx)
	crashed := &Deliverer{Store: s, Client: NewClient(local), Lease: 300 * time.Millisecond, afterPost: cancel}
	if _, err := crashed.Deliver(dying); err == nil {
		t.Fatal("the crashed deliverer recorded its post")
	}
	sell(t, s, "2022")
	// Restarted again: the lease runs out and the entry is posted again.
	d := &Deliverer{Store: s, Client: NewClient(local), Lease: 300 * time.Millisecond}
	deliverUntil(t, d, func() bool {
		states, err := s.DeliveryStates(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range states {
			if st.State != graph.DeliveryDelivered {
				return false
			}
		}
		return len(states) == 2
	})
	posts, unique := rc.got()
	if posts != 3 {
		t.Errorf("%d posts, want 3 (the crashed one's twice)", posts)
	}
	for id, n := range unique {
		if !strings.HasPrefix(id, w.ID+"|") {
			t.Errorf("entry %s is not the watch's", id)
		}
		if n == 2 {
			continue // the crashed post and its repetition: one entry, kept once by id
		}
		if n != 1 {
			t.Errorf("entry %s posted %d times", id, n)
		}
	}
	if len(unique) != 2 {
		t.Errorf("the receiver has %v", unique)
	}
}

// TestWebhookRefusesInsideAddresses: a webhook on the server's own
// machine is not posted to unless the allow list names it.
func TestWebhookRefusesInsideAddresses(t *testing.T) {
	s, w, rc := hooked(t, 0)
	sell(t, s, "2023")
	d := &Deliverer{Store: s, Client: NewClient(nil)}
	if _, err := d.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	if posts, _ := rc.got(); posts != 0 {
		t.Errorf("%d posts reached the server's own machine", posts)
	}
	states, _ := s.DeliveryStates(context.Background(), w.ID)
	for _, st := range states {
		if st.State != graph.DeliveryPending || !strings.Contains(st.LastError, "127.0.0.1 is") {
			t.Errorf("the refused delivery: %+v", st)
		}
	}
}

// TestVerify: a signature verifies for its body, secret and time only.
func TestVerify(t *testing.T) {
	now := time.Now()
	body := []byte(`{"id":"x"}`)
	sig := Sign("secret", now, body)
	if err := Verify("secret", sig, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("a good signature: %v", err)
	}
	for name, err := range map[string]error{
		"another secret":  Verify("other", sig, body, now, 5*time.Minute),
		"another body":    Verify("secret", sig, []byte(`{"id":"y"}`), now, 5*time.Minute),
		"replayed later":  Verify("secret", sig, body, now.Add(time.Hour), 5*time.Minute),
		"no signature":    Verify("secret", "", body, now, 5*time.Minute),
		"a forged header": Verify("secret", "t=1,v1=00", body, time.Unix(1, 0), 5*time.Minute),
	} {
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
