package api

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The media types a GraphQL answer can go out as.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseMediaType is the media type the client's Accept prefers:
// application/graphql-response+json only when it asks for that more (or
// first, at the same weight) than application/json. Without an Accept, or
// with one that names neither, the answer is application/json, as the
// GraphQL-over-HTTP specification allows instead of a 406: browsers and
// curl send */*, and the web app and GraphiQL ask for application/json.
func responseMediaType(r *http.Request) string {
	best, bestQ := mediaJSON, 0.0
	for _, accept := range r.Header.Values("Accept") {
		for part := range strings.SplitSeq(accept, ",") {
			media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(s, 64); err != nil {
					continue
				}
			}
			var m string
			switch media {
			case mediaGraphQLResponse:
				m = mediaGraphQLResponse
			case mediaJSON, "application/*", "*/*":
				m = mediaJSON
			default:
				continue
			}
			if q > bestQ {
				best, bestQ = m, q
			}
		}
	}
	return best
}

// negotiate answers everything on /graphql, the refusals of the handlers
// before the transport included, in the media type the client asked for
// (writeJSON keeps it): each of them is a GraphQL response with errors
// and no data. The answer depends on Accept, so caches are told.
func negotiate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		if responseMediaType(r) == mediaGraphQLResponse {
			w.Header().Set("Content-Type", mediaGraphQLResponse)
		}
		next.ServeHTTP(w, r)
	})
}

// overHTTP serves GraphQL over GET and POST as the GraphQL-over-HTTP
// specification asks, with the parameters checkRequest read. gqlgen's own
// transports differ from it where clients notice: a parse or validation
// failure answered with application/json got 422 where the specification
// says 200 (the errors are the answer), and an error that stopped a request
// before execution came with "data": null where there must be no data.
type overHTTP struct{}

var _ graphql.Transport = overHTTP{}

func (overHTTP) Supports(r *http.Request) bool {
	_, ok := paramsFrom(r.Context())
	return ok
}

func (overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	params, _ := paramsFrom(ctx)
	media := responseMediaType(r) // negotiate has set it as the Content-Type
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// A request error: the operation never ran, so the answer has
		// errors and no data entry at all.
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeJSON(w, requestErrorStatus(media, resp.Errors), struct {
			Errors     gqlerror.List  `json:"errors"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Errors, resp.Extensions})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil {
		return // the client went away; nobody reads an answer
	}
	// Execution began: data is there (null when an error reached the
	// root), and the status is 200 for either media type; failFast turns
	// it into a 503 when the database failed on the way.
	writeJSON(w, http.StatusOK, resp)
}

// requestErrorStatus is the status of an answer to a request that failed
// before execution. With application/json the specification asks for 200
// (clients of that media type read the errors, and a 4xx may come from any
// proxy on the way); with application/graphql-response+json for a 4xx,
// 400 unless the error says the client may not ask (401, 403). A failure
// of the server is a 5xx with either.
func requestErrorStatus(media string, errs gqlerror.List) int {
	var code string
	if len(errs) > 0 {
		code, _ = errs[0].Extensions["code"].(string)
	}
	switch code {
	case CodeInternal:
		return http.StatusInternalServerError
	case CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	if media == mediaJSON {
		return http.StatusOK
	}
	switch code {
	case CodeUnauthenticated:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}
