package api

import (
	"context"
	"errors"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
)

// changes reads a page of the changes feed. Suggestions are not facts
// until accepted, so their changes are for editors only: left out for
// anyone else, and refused when asked for by name.
func (r *Resolver) changes(ctx context.Context, after *string, first *int, types []model.ChangeType) (*model.ChangePage, error) {
	n, err := r.pageSize("first", first, 100)
	if err != nil {
		return nil, err
	}
	_, notEditor := requireEditor(ctx)
	want := make([]string, 0, len(graph.ChangeTypes))
	for _, t := range types {
		if t == model.ChangeTypeSuggestion && notEditor != nil {
			return nil, notEditor
		}
		want = append(want, strings.ToLower(string(t)))
	}
	if len(want) == 0 {
		for _, t := range graph.ChangeTypes {
			if t != graph.ChangeSuggestion || notEditor == nil {
				want = append(want, t)
			}
		}
	}
	cursor := ""
	if after != nil {
		cursor = *after
	}
	page, err := r.Store.Changes(ctx, cursor, n, want)
	switch {
	case errors.Is(err, graph.ErrCursorExpired):
		return nil, inputError{msg: err.Error() + "; read the graph afresh and follow the feed from its head", field: "after",
			extra: map[string]any{"resync": true}}
	case errors.Is(err, graph.ErrBadCursor):
		return nil, badField("after", nil, "%v", err)
	case err != nil:
		return nil, err
	}
	out := &model.ChangePage{EndCursor: page.EndCursor, HasMore: page.HasMore, Head: page.Head, Changes: make([]model.Change, len(page.Changes))}
	for i, c := range page.Changes {
		out.Changes[i] = model.Change{Cursor: c.Cursor, At: c.At, ID: c.ID,
			Type: model.ChangeType(strings.ToUpper(c.Type)), Kind: model.ChangeKind(strings.ToUpper(c.Kind))}
	}
	return out, nil
}
