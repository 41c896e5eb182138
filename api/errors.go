package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/exportwatch/exportwatch/graph"
)

// Error codes in extensions.code; API consumers may rely on them.
const (
	CodeNotFound        = "NOT_FOUND"
	CodeBadInput        = "BAD_INPUT"
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeLimitExceeded   = "LIMIT_EXCEEDED"
	CodeUnavailable     = "UNAVAILABLE"
	// CodeConflict: an edit of a claim or an entity that another edit
	// reached first; extensions.current is the version to read again.
	CodeConflict = "CONFLICT"
	CodeInternal = "INTERNAL"
)

// tooLong answers an operation that ran out of time.
const tooLong = "the request took longer than the server allows; ask for less (a smaller page, fewer hops)"

// codedError carries its own code and message to the client.
type codedError struct{ code, msg string }

func (e codedError) Error() string { return e.msg }

// inputError is a mistake in the request that the caller can fix. Field,
// when set, names the input field at fault ("input.evidence.0.quote"), so
// a form can show the reason beside it; extra adds what helps fix it.
type inputError struct {
	msg   string
	field string
	extra map[string]any
}

func (e inputError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return inputError{msg: fmt.Sprintf(format, args...)} }

// badField is badInput for one field of the input.
func badField(field string, extra map[string]any, format string, args ...any) error {
	return inputError{msg: fmt.Sprintf(format, args...), field: field, extra: extra}
}

// presentError gives every error a stable code and a message a person can
// act on; database details and Cypher never reach the client, only the log.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if code, ok := gerr.Extensions["code"].(string); ok {
		// gqlgen's own codes, mapped onto ours.
		switch code {
		case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
			gerr.Extensions["code"] = CodeBadInput
		case "COMPLEXITY_LIMIT_EXCEEDED":
			gerr.Extensions["code"] = CodeLimitExceeded
		}
		return gerr
	}
	var in inputError
	var coded codedError
	var conflict *graph.ConflictError
	switch {
	case errors.As(err, &conflict):
		gerr.Message = conflict.Error() + "; reload it and decide again"
		gerr.Extensions = map[string]any{"code": CodeConflict, "current": conflict.Current}
	case errors.As(err, &coded):
		gerr.Message = coded.msg
		gerr.Extensions = map[string]any{"code": coded.code}
	case errors.As(err, &in):
		gerr.Message = in.msg
		gerr.Extensions = map[string]any{"code": CodeBadInput}
		if in.field != "" {
			gerr.Extensions["field"] = in.field
		}
		for k, v := range in.extra {
			gerr.Extensions[k] = v
		}
	case errors.Is(err, graph.ErrNotFound):
		gerr.Message = "not found"
		gerr.Extensions = map[string]any{"code": CodeNotFound}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		// The driver reports a deadline that passed mid-query as a
		// connectivity error; the context tells the two apart.
		gerr.Message = tooLong
		gerr.Extensions = map[string]any{"code": CodeLimitExceeded}
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		// The client went away (a browser navigated on): nobody reads
		// the answer, and nothing is wrong with the server.
		slog.Debug("graphql: request cancelled by the client", "err", err)
		gerr.Message = "the request was cancelled"
		gerr.Extensions = map[string]any{"code": CodeInternal}
	case errors.Is(err, graph.ErrUnavailable):
		slog.Warn("graphql: database unavailable", "err", err)
		gerr.Message = "the database is unavailable; try again shortly"
		gerr.Extensions = map[string]any{"code": CodeUnavailable}
	default:
		slog.Error("graphql: internal error", "err", err)
		gerr.Message = "internal error"
		gerr.Extensions = map[string]any{"code": CodeInternal}
	}
	return gerr
}
