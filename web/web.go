// Package web holds what exportwatch serves to browsers, embedded in the
// binary so that nothing is loaded from outside the machine: the web app
// for investigators (a client of the GraphQL API) and GraphiQL for
// exploring the API.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

// The assets under graphiql/vendor are built by `make web`; embedding the
// folder rather than a pattern lets plain `go build` and `go vet` work
// before they are, and the page then says what to run. The app's bundle
// (app/dist) is committed.
//
//go:embed graphiql app/index.html app/dist
var files embed.FS

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// appPolicy lets the app's page run and style only what this server
// serves: no inline script or style, no other origin, no frames. Text
// from sources is rendered as text; the policy is the second line of
// defence should any of it ever become markup.
const appPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// appRoutes are the paths the app has views for; the router in
// app/src/main.tsx reads the same ones. Any other path gets the app's
// page with 404, whose view says there is no such page.
var appRoutes = []string{"/", "/entity/", "/paths", "/signin", "/review", "/claims/new", "/audit"}

// App serves the web app: its page at every route it has a view for, and
// its script and stylesheet under /assets/, gzipped for browsers that
// accept it.
func App() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /assets/{file...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		a, ok := bundle().assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		// The page asks for its script and stylesheet with their
		// content's hash, and a chunk's name holds its own, so a cached
		// copy is never stale.
		if r.URL.Query().Get("v") == bundle().version || strings.HasPrefix(name, "chunks/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		serveMaybeGzipped(w, r, a.plain, a.gz)
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", appPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cache-Control", "no-cache")
		status := http.StatusNotFound
		for _, route := range appRoutes {
			if r.URL.Path == route || strings.HasSuffix(route, "/") && route != "/" && strings.HasPrefix(r.URL.Path, route) {
				status = http.StatusOK
			}
		}
		w.WriteHeader(status)
		w.Write(bundle().page)
	})
	return mux
}

type asset struct {
	ctype     string
	plain, gz []byte
}

type appBundle struct {
	page    []byte
	version string
	assets  map[string]asset
}

// bundle reads the app from the binary once: the page with its assets'
// version filled in, and each script and stylesheet gzipped.
var bundle = sync.OnceValue(func() appBundle {
	b := appBundle{assets: map[string]asset{}}
	sum := sha256.New()
	err := fs.WalkDir(files, "app/dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || contentTypes[path.Ext(p)] == "" {
			return err
		}
		plain, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "app/dist/")
		sum.Write([]byte(name))
		sum.Write(plain)
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(plain)
		zw.Close()
		b.assets[name] = asset{ctype: contentTypes[path.Ext(name)], plain: plain, gz: gz.Bytes()}
		return nil
	})
	if _, ok := b.assets["app.js"]; err != nil || !ok {
		panic(fmt.Sprintf("web: the app's bundle is not in the binary (%v)", err))
	}
	b.version = hex.EncodeToString(sum.Sum(nil))[:16]
	page, err := files.ReadFile("app/index.html")
	if err != nil {
		panic("web: the app's page is not in the binary: " + err.Error())
	}
	b.page = bytes.ReplaceAll(page, []byte("{{version}}"), []byte(b.version))
	return b
})

// serveMaybeGzipped sends gz to a client that accepts gzip and plain (or
// gz unpacked, when plain is nil) to the rest.
func serveMaybeGzipped(w http.ResponseWriter, r *http.Request, plain, gz []byte) {
	w.Header().Set("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz)
		return
	}
	if plain != nil {
		w.Write(plain)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		http.Error(w, "corrupt asset", http.StatusInternalServerError)
		return
	}
	io.Copy(w, zr)
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// a zero weight ("gzip;q=0" refuses it).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return !(strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q=0"), ".0") == "")
	}
	return false
}

// graphiqlPolicy is looser than the app's: GraphiQL's editor sets
// inline styles.
const graphiqlPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// GraphiQL serves the GraphiQL page at /graphiql and its assets under
// /graphiql/. The vendored assets are stored gzipped; a client that does
// not accept gzip gets them decompressed.
func GraphiQL() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /graphiql", func(w http.ResponseWriter, r *http.Request) {
		page, err := files.ReadFile("graphiql/index.html")
		if err != nil {
			http.Error(w, "GraphiQL page missing from the build", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", graphiqlPolicy)
		w.Write(page)
	})
	mux.HandleFunc("GET /graphiql/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.PathValue("file"))
		ctype, known := contentTypes[path.Ext(name)]
		if !known {
			http.NotFound(w, r)
			return
		}
		// The page's own script and stylesheet, kept as source.
		if name == "start.js" || name == "page.css" {
			b, err := files.ReadFile("graphiql/" + name)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", ctype)
			// Unversioned, and changed with the binary: checked each time.
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
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
		serveMaybeGzipped(w, r, nil, gz)
	})
	return mux
}

// built says whether `make web` ran before the binary was built.
func built() bool {
	_, err := fs.Stat(files, "graphiql/vendor")
	return err == nil
}
