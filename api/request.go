package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"
)

// checkRequest refuses, with BAD_INPUT and a reason, what is not a
// well-formed GraphQL-over-HTTP request: a method or content type there is
// no transport for, a batch (a JSON array of operations), a body that is
// not one JSON object, and parameters that are missing or of the wrong
// type (a query that is not a string, variables that are not an object).
// It reads the parameters once, a POST body under the server's read
// deadline, and hands them to the transport (overHTTP) in the request's
// context. Logs carry the size and the reason with a short prefix of the
// body, never the body: a client may send a megabyte of it.
func checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := graphql.Now()
		var params *graphql.RawParams
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			p, reason := getParams(q.Get("query"), q.Get("operationName"), q.Get("variables"), q.Get("extensions"))
			if reason != "" {
				refuse(w, r, http.StatusBadRequest, reason, []byte(r.URL.RawQuery))
				return
			}
			params = p
		case http.MethodPost:
			media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || media != "application/json" {
				refuse(w, r, http.StatusUnsupportedMediaType, "send the operation as JSON with Content-Type: application/json", nil)
				return
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				var tooLarge *http.MaxBytesError
				switch {
				case errors.As(err, &tooLarge):
					writeError(w, http.StatusRequestEntityTooLarge, CodeLimitExceeded, "request body too large")
				case errors.Is(err, os.ErrDeadlineExceeded):
					refuse(w, r, http.StatusRequestTimeout, "the request body took longer to arrive than the server allows", body)
				default:
					refuse(w, r, http.StatusBadRequest, "the request body could not be read: "+err.Error(), body)
				}
				return
			}
			p, reason := postParams(body)
			if reason != "" {
				refuse(w, r, http.StatusBadRequest, reason, body)
				return
			}
			params = p
		default:
			w.Header().Set("Allow", "GET, POST")
			refuse(w, r, http.StatusMethodNotAllowed, "use GET or POST", nil)
			return
		}
		params.Headers = r.Header
		params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), paramsKey{}, params)))
	})
}

type paramsKey struct{}

// paramsFrom is the request's parameters, as checkRequest read them.
func paramsFrom(ctx context.Context) (*graphql.RawParams, bool) {
	p, ok := ctx.Value(paramsKey{}).(*graphql.RawParams)
	return p, ok
}

// noQuery is the reason a request without a query is refused: it is not a
// GraphQL request at all, so it gets 400 whatever the media type.
const noQuery = "the request has no query: send the GraphQL document in the query parameter"

// getParams reads a GET's parameters; variables and extensions are JSON
// in the URL.
func getParams(query, operationName, variables, extensions string) (*graphql.RawParams, string) {
	if query == "" {
		return nil, noQuery
	}
	p := &graphql.RawParams{Query: query, OperationName: operationName}
	for _, param := range []struct {
		name, value string
		dst         *map[string]any
	}{{"variables", variables, &p.Variables}, {"extensions", extensions, &p.Extensions}} {
		if param.value == "" {
			continue
		}
		if err := jsonObject([]byte(param.value)); err != nil {
			return nil, fmt.Sprintf("the %s parameter is not a JSON object: %v", param.name, err)
		}
		if err := decodeObject(json.RawMessage(param.value), param.dst); err != nil {
			return nil, fmt.Sprintf("the %s parameter is not a JSON object: %v", param.name, err)
		}
	}
	return p, ""
}

// postParams reads a POST body: one JSON object whose query is a string,
// operationName a string or null, and variables and extensions objects or
// null, as the GraphQL-over-HTTP specification has them.
func postParams(body []byte) (*graphql.RawParams, string) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return nil, "batched requests are not supported: send one operation per request"
	}
	if err := jsonObject(body); err != nil {
		return nil, "the body is not a GraphQL request in JSON: " + err.Error()
	}
	var raw struct {
		Query         json.RawMessage `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, "the body is not a GraphQL request in JSON: " + err.Error()
	}
	p := &graphql.RawParams{}
	if isNull(raw.Query) {
		return nil, noQuery
	}
	if err := json.Unmarshal(raw.Query, &p.Query); err != nil {
		return nil, "query must be a string holding the GraphQL document"
	}
	if p.Query == "" {
		return nil, noQuery
	}
	if !isNull(raw.OperationName) {
		if err := json.Unmarshal(raw.OperationName, &p.OperationName); err != nil {
			return nil, "operationName must be a string or null"
		}
	}
	if err := decodeObject(raw.Variables, &p.Variables); err != nil {
		return nil, "variables must be a JSON object or null"
	}
	if err := decodeObject(raw.Extensions, &p.Extensions); err != nil {
		return nil, "extensions must be a JSON object or null"
	}
	return p, ""
}

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }

// decodeObject decodes a JSON object, or null or nothing as no object.
// Numbers stay json.Number, as the executor expects them (an Int argument
// beyond 2^53 stays exact).
func decodeObject(v json.RawMessage, dst *map[string]any) error {
	if isNull(v) {
		return nil
	}
	if t := bytes.TrimLeft(v, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	return dec.Decode(dst)
}

// jsonObject checks that b is one JSON object and nothing else. A valid
// body costs a scan without a decode; only a bad one is decoded, for the
// reason.
func jsonObject(b []byte) error {
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 && t[0] == '{' && json.Valid(b) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var v map[string]json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if v == nil {
		return errors.New("null is not an object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more follows the object")
	}
	return nil
}

// logPrefix is how much of a refused body the log keeps.
const logPrefix = 64

func refuse(w http.ResponseWriter, r *http.Request, status int, reason string, body []byte) {
	slog.Warn("graphql: request refused", "status", status, "reason", reason, "method", r.Method,
		"content_type", r.Header.Get("Content-Type"), "bytes", len(body), "prefix", string(body[:min(len(body), logPrefix)]))
	writeError(w, status, CodeBadInput, reason)
}
