// Package web holds what exportwatch serves to browsers, embedded in the
// binary so that nothing is loaded from outside the machine: for now,
// GraphiQL for exploring the GraphQL API.
package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The assets under graphiql/vendor are built by `make web`; embedding the
// folder rather than a pattern lets plain `go build` and `go vet` work
// before they are, and the page then says what to run.
//
//go:embed graphiql
var files embed.FS

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// GraphiQL serves the GraphiQL page at / and its assets under /graphiql/.
// The assets are stored gzipped; a client that does not accept gzip gets
// them decompressed.
func GraphiQL() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, err := files.ReadFile("graphiql/index.html")
		if err != nil {
			http.Error(w, "GraphiQL page missing from the build", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'")
		w.Write(page)
	})
	mux.HandleFunc("GET /graphiql/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.PathValue("file"))
		ctype, known := contentTypes[path.Ext(name)]
		if !known {
			http.NotFound(w, r)
			return
		}
		gz, err := files.ReadFile("graphiql/vendor/" + name + ".gz")
		if errors.Is(err, fs.ErrNotExist) && !built() {
			http.Error(w, "this build has no GraphiQL assets: run `make web` (or `make build`) and build again", http.StatusNotFound)
			return
		}
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz)
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			http.Error(w, "corrupt asset", http.StatusInternalServerError)
			return
		}
		io.Copy(w, zr)
	})
	return mux
}

// built says whether `make web` ran before the binary was built.
func built() bool {
	_, err := fs.Stat(files, "graphiql/vendor")
	return err == nil
}
