package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
)

// checkRequest refuses, with BAD_INPUT and a reason, what the GraphQL
// handler would otherwise answer without a code or take for an internal
// error: a method or content type it has no transport for, a batch (a JSON
// array of operations), and a body or GET parameter that is not JSON. It
// reads a POST body once, under the server's read deadline, and hands it
// on. Logs carry the size and the reason with a short prefix of the body,
// never the body: a client may send a megabyte of it.
func checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			for _, param := range []string{"variables", "extensions"} {
				if v := q.Get(param); v != "" {
					if err := jsonObject([]byte(v)); err != nil {
						refuse(w, r, http.StatusBadRequest, fmt.Sprintf("the %s parameter is not a JSON object: %v", param, err), []byte(v))
						return
					}
				}
			}
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
			if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
				refuse(w, r, http.StatusBadRequest, "batched requests are not supported: send one operation per request", body)
				return
			}
			if err := jsonObject(body); err != nil {
				refuse(w, r, http.StatusBadRequest, "the body is not a GraphQL request in JSON: "+err.Error(), body)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		default:
			w.Header().Set("Allow", "GET, POST")
			refuse(w, r, http.StatusMethodNotAllowed, "use GET or POST", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// jsonObject checks that b is one JSON object and nothing else. A valid
// body costs a scan without a decode (the handler decodes it next); only a
// bad one is decoded, for the reason.
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
