package api

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/exportwatch/exportwatch/brief"
	"github.com/exportwatch/exportwatch/export"
	"github.com/exportwatch/exportwatch/graph"
)

// maxExportRegion bounds what GET /exports writes: a region is read into
// memory before the first byte is sent, so a hub's two-hop region of a
// large graph is refused with a pointer to the command, which streams.
const maxExportRegion = 5000

// exportTypes are what each downloadable format is served as; CSV, being
// several tables, comes as a zip of them.
var exportTypes = map[export.Format]string{
	export.FTM:     "application/json; charset=utf-8",
	export.GraphML: "application/xml; charset=utf-8",
	export.CSV:     "application/zip",
}

var exportExtensions = map[export.Format]string{export.FTM: "ftm.json", export.GraphML: "graphml", export.CSV: "csv.zip"}

// serveExport answers GET /exports?subject=…&format=ftm|csv|graphml[&depth=0..2]
// with the region around the subject as a file, written whole before the
// first byte is sent so a failure is a clean error status.
func serveExport(store *graph.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f, err := export.ParseFormat(q.Get("format"))
		if err == nil && exportTypes[f] == "" {
			err = fmt.Errorf("format %s is not offered for download: use ftm, csv or graphml (the command writes every format)", f)
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeBadInput, err.Error())
			return
		}
		depth := 1
		if d := q.Get("depth"); d != "" {
			if depth, err = strconv.Atoi(d); err != nil || depth < 0 || depth > 2 {
				writeError(w, http.StatusBadRequest, CodeBadInput, "depth must be 0, 1 or 2")
				return
			}
		}
		ctx := r.Context()
		subject, err := brief.Subject(ctx, store, q.Get("subject"))
		var ids []string
		if err == nil {
			ids, err = store.Region(ctx, subject.ID, depth)
		}
		if err == nil && len(ids) > maxExportRegion {
			writeError(w, http.StatusBadRequest, CodeLimitExceeded, fmt.Sprintf("the region holds %d entities, more than %d: choose fewer hops, or run `exportwatch export --subject … --depth …`, which streams", len(ids), maxExportRegion))
			return
		}
		var body []byte
		if err == nil {
			body, err = exportFile(ctx, export.Graph{Store: store, IDs: ids}, f)
		}
		if err != nil {
			writeFileError(w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", exportTypes[f])
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="region-%s-%d.%s"`, slug(subject.ID), depth, exportExtensions[f]))
		w.Write(body)
	})
}

// exportFile writes src in format f: one file, or for CSV a zip of the
// tables export.WriteCSV writes.
func exportFile(ctx context.Context, src export.Source, f export.Format) ([]byte, error) {
	var buf bytes.Buffer
	if f != export.CSV {
		_, err := export.Write(ctx, src, f, &buf)
		return buf.Bytes(), err
	}
	dir, err := os.MkdirTemp("", "exportwatch-csv-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if _, err := export.WriteCSV(ctx, src, dir); err != nil {
		return nil, err
	}
	tables, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return nil, err
	}
	zw := zip.NewWriter(&buf)
	for _, t := range tables {
		b, err := os.ReadFile(t)
		if err != nil {
			return nil, err
		}
		fw, err := zw.Create(filepath.Base(t))
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(b); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
