package watch

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/brief"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Webhooks. Each entry of a watch with a webhook is posted to it as JSON
// (Payload), signed: the header Signature carries "t=UNIX,v1=HEX", where
// HEX is the HMAC-SHA256, keyed with the watch's secret, of the decimal
// Unix time, a full stop, and the body as sent. A receiver recomputes it,
// compares in constant time and refuses a time far from its clock
// (Verify does all three). A 2xx answer delivers the entry; anything else
// is tried again with exponential backoff for a day, then the entry is
// kept as failed with the last error, until an editor retries it.
// Delivery is at least once: a receiver may get an entry twice (after a
// crash between the post and its record) and de-duplicates by the
// Delivery header, the entry's id, which is also the payload's id.

// The headers of a webhook post.
const (
	SignatureHeader = "X-Exportwatch-Signature"
	DeliveryHeader  = "X-Exportwatch-Delivery"
)

// Payload is the JSON body of a webhook post.
type Payload struct {
	ID     string       `json:"id"`
	Watch  PayloadWatch `json:"watch"`
	Kind   string       `json:"kind"`
	At     string       `json:"at"`
	Cursor string       `json:"cursor"`
	Claim  PayloadClaim `json:"claim"`
}

type PayloadWatch struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type PayloadParty struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type PayloadQuote struct {
	Quote      string `json:"quote,omitempty"`
	Paraphrase string `json:"paraphrase,omitempty"`
	URL        string `json:"url"`
	Publisher  string `json:"publisher,omitempty"`
	Archive    string `json:"archive,omitempty"`
}

type PayloadClaim struct {
	ID       string         `json:"id"`
	Relation string         `json:"relation"`
	Subject  PayloadParty   `json:"subject"`
	Object   PayloadParty   `json:"object"`
	Status   string         `json:"status"`
	Stance   string         `json:"stance"`
	Sentence string         `json:"sentence"`
	Evidence []PayloadQuote `json:"evidence"`
}

func payload(d graph.Delivery) Payload {
	c := d.Entry.Claim
	p := Payload{ID: d.ID, Watch: PayloadWatch{ID: d.Entry.Watch, Name: d.Name}, Kind: d.Entry.Kind, At: d.Entry.At, Cursor: d.Entry.Cursor,
		Claim: PayloadClaim{ID: c.ID, Relation: c.Relation, Status: c.Status, Stance: c.Stance, Sentence: brief.Sentence(c),
			Subject: PayloadParty{c.Subject, partyName(c, c.Subject)}, Object: PayloadParty{c.Object, partyName(c, c.Object)}}}
	for _, ev := range c.Evidence {
		p.Claim.Evidence = append(p.Claim.Evidence, PayloadQuote{Quote: ev.Quote, Paraphrase: ev.Paraphrase, URL: ev.Document.URL,
			Publisher: ev.Document.Publisher, Archive: ev.Document.Archive})
	}
	return p
}

// Sign is the Signature header of body, posted at t, for secret.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// ErrBadSignature: a post whose signature does not verify.
var ErrBadSignature = errors.New("the webhook's signature does not verify")

// Verify checks a Signature header against the body received, the
// secret, and the receiver's clock now: the time it signs must be within
// tolerance of it, so a captured post cannot be replayed later.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return fmt.Errorf("%w: the header %q is not t=…,v1=…", ErrBadSignature, header)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed at %s, %s from now", ErrBadSignature, time.Unix(unix, 0).UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	if !hmac.Equal([]byte(sig), []byte(mac(secret, ts, body))) {
		return ErrBadSignature
	}
	return nil
}

// Deliverer posts the entries due to their webhooks.
type Deliverer struct {
	Store  *graph.Store
	Client *http.Client // NewClient's, or a test's
	// Backoff is the wait before attempt n+1 after n failed ones;
	// DefaultBackoff when nil.
	Backoff func(n int) time.Duration
	// GiveUp is how long after its first attempt an entry is tried; a
	// day when 0.
	GiveUp time.Duration
	// Lease is how long a taken entry waits before another deliverer may
	// take it; a minute when 0.
	Lease time.Duration
	// afterPost, in tests, runs between a post and its record.
	afterPost func()
}

// DefaultBackoff waits 30 s after the first failure, doubling each time,
// and an hour at most.
func DefaultBackoff(n int) time.Duration {
	return min(30*time.Second<<min(n-1, 20), time.Hour)
}

// NewClient is an HTTP client for webhooks that never reaches the
// server's own machine or the networks behind it, unless allow lists
// them (EXPORTWATCH_FETCH_ALLOW, as for fetching), follows no redirect,
// and gives up on a receiver after ten seconds.
func NewClient(allow []netip.Prefix) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: scrapers.GuardControl(allow)}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil, MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("a webhook receiver answered with a redirect, which is not followed")
		},
	}
}

// Deliver posts every entry due now, each once, and records what came of
// it; it returns how many were delivered.
func (d *Deliverer) Deliver(ctx context.Context) (int, error) {
	backoff, giveUp, lease := d.Backoff, d.GiveUp, d.Lease
	if backoff == nil {
		backoff = DefaultBackoff
	}
	if giveUp == 0 {
		giveUp = 24 * time.Hour
	}
	if lease == 0 {
		lease = time.Minute
	}
	delivered := 0
	for {
		now := time.Now()
		due, err := d.Store.TakeDeliveries(ctx, now.UnixMilli(), now.Add(lease).UnixMilli(), 20)
		if err != nil || len(due) == 0 {
			return delivered, err
		}
		for _, dl := range due {
			err := d.post(ctx, dl)
			if d.afterPost != nil {
				d.afterPost()
			}
			at := time.Now()
			o := graph.DeliveryOutcome{State: graph.DeliveryDelivered, At: at.UnixMilli()}
			if err != nil {
				o = graph.DeliveryOutcome{State: graph.DeliveryPending, Error: err.Error(), At: at.UnixMilli(), Next: at.Add(backoff(dl.Attempts + 1)).UnixMilli()}
				first := dl.FirstTry
				if first == 0 {
					first = at.UnixMilli()
				}
				if at.Sub(time.UnixMilli(first)) >= giveUp {
					o.State, o.Next = graph.DeliveryFailed, 0
				}
			} else {
				delivered++
			}
			if err := d.Store.RecordDelivery(ctx, dl.ID, o); err != nil {
				return delivered, err
			}
		}
	}
}

// post sends one entry; an error says why it was not delivered.
func (d *Deliverer) post(ctx context.Context, dl graph.Delivery) error {
	body, err := json.Marshal(payload(dl))
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.Webhook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "exportwatch-webhook")
	req.Header.Set(DeliveryHeader, dl.ID)
	req.Header.Set(SignatureHeader, Sign(dl.Secret, time.Now(), body))
	res, err := d.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("the receiver answered %s", res.Status)
	}
	return nil
}
