package scrapers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// validators keep, per request, the ETag and Last-Modified a source last
// sent, so the next run asks "has this changed?" and an unchanged page
// costs the source a 304. They also keep where that response is archived,
// so the collector hands the source the archived body: a source reads an
// unchanged page as it read it the first time (and follows its links).
type validators struct {
	path string
	mu   sync.Mutex
	m    map[string]validator
}

type validator struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// The response these validators came with: its WARC record
	// ("FILE#ID") and offset in the file, hash and retrieval time.
	Archive   string `json:"archive"`
	Offset    int64  `json:"offset"`
	SHA256    string `json:"sha256"`
	Retrieved string `json:"retrieved"`
}

func loadValidators(path string) (*validators, error) {
	v := &validators{path: path, m: map[string]validator{}}
	if path == "" {
		return v, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read validators: %w", err)
	}
	if err := json.Unmarshal(b, &v.m); err != nil {
		return nil, fmt.Errorf("read validators %s: %w", path, err)
	}
	return v, nil
}

func key(method, url string) string { return method + " " + url }

func (v *validators) get(method, url string) (validator, bool) {
	if v.path == "" {
		return validator{}, false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	x, ok := v.m[key(method, url)]
	return x, ok
}

func (v *validators) set(method, url string, h http.Header, resp *Response, offset int64) {
	x := validator{ETag: h.Get("ETag"), LastModified: h.Get("Last-Modified"), Archive: resp.Archive, Offset: offset,
		SHA256: resp.SHA256, Retrieved: resp.Retrieved.Format(time.RFC3339Nano)}
	if v.path == "" || (x.ETag == "" && x.LastModified == "") {
		return
	}
	v.mu.Lock()
	v.m[key(method, url)] = x
	v.mu.Unlock()
}

func (v *validators) forget(method, url string) {
	v.mu.Lock()
	delete(v.m, key(method, url))
	v.mu.Unlock()
}

// save writes the file whole and renames it into place, so a crash leaves
// the old file or the new one, never half of one.
func (v *validators) save() error {
	if v.path == "" {
		return nil
	}
	v.mu.Lock()
	b, err := json.MarshalIndent(v.m, "", " ")
	v.mu.Unlock()
	if err != nil {
		return fmt.Errorf("save validators: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(v.path), ".validators-*")
	if err != nil {
		return fmt.Errorf("save validators: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("save validators: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save validators: %w", err)
	}
	if err := os.Rename(tmp.Name(), v.path); err != nil {
		return fmt.Errorf("save validators: %w", err)
	}
	return nil
}
