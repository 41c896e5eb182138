package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/watch"
)

// requireKey refuses a request without an API key: a watch is its key's.
func requireKey(ctx context.Context) (Principal, error) {
	p := principalFrom(ctx)
	if p.Name == "" || p.Name == "anonymous" {
		return p, codedError{CodeUnauthenticated, "watches need an API key (a reader's will do)"}
	}
	return p, nil
}

func watchModel(w graph.Watch) *model.Watch {
	out := &model.Watch{ID: w.ID, Name: w.Name, Entities: w.Entities, Countries: w.Countries, MinStatus: model.Status(w.MinStatus),
		Created: w.Created, Feed: "/feeds/watch/" + w.ID + ".atom", Relations: make([]model.Relation, len(w.Relations)),
		Webhook: optional(w.Webhook), WebhookSecret: optional(w.Secret)}
	for i, r := range w.Relations {
		out.Relations[i] = model.Relation(r)
	}
	return out
}

func (r *Resolver) createWatch(ctx context.Context, in model.WatchInput) (*model.Watch, error) {
	p, err := requireKey(ctx)
	if err != nil {
		return nil, err
	}
	w := graph.Watch{Name: in.Name, Owner: p.Name, Countries: in.Countries, Relations: relationNames(in.Relations)}
	if in.Webhook != nil {
		w.Webhook = strings.TrimSpace(*in.Webhook)
	}
	// Entities are named as every argument names one: an id, a merged
	// id, a code or a name only one entity has.
	for i, ref := range in.Entities {
		id, err := r.entityID(ctx, ref, fmt.Sprintf("input.entities.%d", i))
		if err != nil {
			return nil, err
		}
		w.Entities = append(w.Entities, id)
	}
	if in.MinStatus != nil {
		w.MinStatus = string(*in.MinStatus)
	}
	w, err = r.Store.CreateWatch(ctx, w)
	if errors.Is(err, graph.ErrWatchInvalid) {
		return nil, badField("input", nil, "%v", err)
	}
	if err != nil {
		return nil, err
	}
	return watchModel(w), nil
}

func (r *Resolver) deleteWatch(ctx context.Context, id string) (bool, error) {
	p, err := requireKey(ctx)
	if err != nil {
		return false, err
	}
	if err := r.Store.DeleteWatch(ctx, id, p.Name); err != nil {
		return false, err
	}
	return true, nil
}

func (r *Resolver) retryDeliveries(ctx context.Context, watch string) (int, error) {
	if _, err := requireEditor(ctx); err != nil {
		return 0, err
	}
	return r.Store.RetryDeliveries(ctx, watch)
}

func (r *Resolver) watches(ctx context.Context) ([]model.Watch, error) {
	p, err := requireKey(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := r.Store.Watches(ctx, p.Name)
	if err != nil {
		return nil, err
	}
	out := make([]model.Watch, len(ws))
	for i, w := range ws {
		out[i] = *watchModel(w)
	}
	return out, nil
}

// feedEntries is how many entries a watch's feed shows, newest first.
const feedEntries = 50

// serveWatchFeed answers GET /feeds/watch/ID.atom with the watch's Atom
// feed. It needs no key: feed readers send none, and the watch's id,
// which nobody can guess, is the address's secret.
func serveWatchFeed(store *graph.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutSuffix(r.PathValue("file"), ".atom")
		if !ok || id == "" {
			writeError(w, http.StatusNotFound, CodeNotFound, "a watch's feed is /feeds/watch/ID.atom")
			return
		}
		ctx := r.Context()
		wt, err := store.WatchByID(ctx, id)
		var entries []graph.WatchEntry
		if err == nil {
			entries, err = store.WatchEntries(ctx, id, feedEntries)
		}
		var body []byte
		if err == nil {
			body, err = watch.Atom(wt, entries, baseURL(r))
		}
		if err != nil {
			writeFileError(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Write(body)
	})
}

// baseURL is the address the request reached the server at, which a
// feed's links start with.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
