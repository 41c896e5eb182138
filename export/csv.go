package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
)

// CSV is five files in a directory, one per kind of thing, for
// spreadsheets: nodes.csv, edges.csv, claims.csv, documents.csv, and
// evidence.csv with one row per quote (claim, document, quote, paraphrase,
// locator), since quotes do not survive being joined in one cell. Lists
// within a cell are joined with "; ". A cell that a spreadsheet would run
// as a formula (starting with =, +, -, @, a tab or a carriage return) gets
// a leading apostrophe: scraped text must not execute on an analyst's
// machine.

// CSVFiles are the files WriteCSV writes, with their columns.
var CSVFiles = map[string][]string{
	"nodes.csv":     {"id", "schema", "name", "aliases", "country", "kind", "identifiers", "capabilities", "export_control", "start", "end", "impact", "description", "sources"},
	"edges.csv":     {"from", "relation", "to", "status", "contested", "confidence", "first", "last", "stages", "products", "claims"},
	"claims.csv":    {"id", "relation", "subject", "object", "product", "stance", "status", "confidence", "start", "end", "stage", "quantity", "value", "currency", "uncertain", "role", "share", "list", "program", "summary", "extractor", "documents"},
	"evidence.csv":  {"claim", "document", "quote", "paraphrase", "locator"},
	"documents.csv": {"id", "url", "title", "publisher", "published", "retrieved", "sha256", "archive", "origin", "note"},
}

// defuse keeps a cell from being read as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type csvFile struct {
	f  *os.File
	bw *bufio.Writer
	w  *csv.Writer
}

func (c *csvFile) row(cells ...string) error {
	for i := range cells {
		cells[i] = defuse(cells[i])
	}
	return c.w.Write(cells)
}

// WriteCSV streams src into the four CSV files in dir, creating it. The
// files are written beside their final names and renamed at the end, so
// a failed export leaves no half-written file under a final name.
func WriteCSV(ctx context.Context, src Source, dir string) (st Stats, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, fmt.Errorf("export csv: %w", err)
	}
	files := map[string]*csvFile{}
	// Whatever is not renamed into place by the end is removed.
	defer func() {
		for _, c := range files {
			if c.f != nil {
				c.f.Close()
				os.Remove(c.f.Name())
			}
		}
	}()
	for name, cols := range CSVFiles {
		f, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			return st, fmt.Errorf("export csv: %w", err)
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		c := &csvFile{f: f, bw: bw, w: csv.NewWriter(bw)}
		files[name] = c
		if err := c.w.Write(cols); err != nil {
			return st, err
		}
	}
	join := func(xs []string) string { return strings.Join(xs, "; ") }
	err = src.EachEntity(ctx, func(e graph.Entity) error {
		st.Entities++
		return files["nodes.csv"].row(e.ID, e.Schema, e.Name, join(e.Aliases), e.Country, e.Kind, identifierText(e.Identifiers),
			join(e.Capabilities), join(e.ExportControl), e.Start, e.End, e.Impact, e.Description, join(e.Sources))
	})
	if err == nil {
		err = src.EachEdge(ctx, func(e graph.Edge) error {
			st.Edges++
			return files["edges.csv"].row(e.From, e.Type, e.To, e.Status, strconv.FormatBool(e.Contested),
				strconv.FormatFloat(e.Confidence, 'f', -1, 64), e.First, e.Last, join(e.Stages), join(e.Products), join(e.Claims))
		})
	}
	if err == nil {
		err = src.EachClaim(ctx, func(c graph.Claim) error {
			st.Claims++
			var docs []string
			for _, ev := range c.Evidence {
				if !slices.Contains(docs, ev.Document.ID) {
					docs = append(docs, ev.Document.ID)
				}
				if err := files["evidence.csv"].row(c.ID, ev.Document.ID, ev.Quote, ev.Paraphrase, ev.Locator); err != nil {
					return err
				}
			}
			value := ""
			if c.Value != nil {
				value = strconv.FormatFloat(*c.Value, 'f', -1, 64)
			}
			return files["claims.csv"].row(c.ID, c.Relation, c.Subject, c.Object, c.Product, c.Stance, c.Status,
				strconv.FormatFloat(c.Confidence, 'f', -1, 64), c.Start, c.End, c.Stage, c.Quantity, value, c.Currency,
				join(c.Uncertain), c.Role, c.Share, c.List, c.Program, c.Summary, c.Extractor, join(docs))
		})
	}
	if err == nil {
		err = src.EachDocument(ctx, func(d graph.Document) error {
			st.Documents++
			return files["documents.csv"].row(d.ID, d.URL, d.Title, d.Publisher, d.Published, d.Retrieved, d.SHA256, d.Archive, d.Origin, d.Note)
		})
	}
	if err != nil {
		return st, err
	}
	for name, c := range files {
		c.w.Flush()
		err := errors.Join(c.w.Error(), c.bw.Flush())
		if err == nil {
			err = os.Rename(c.f.Name(), filepath.Join(dir, name))
		}
		if err != nil {
			return st, fmt.Errorf("export csv %s: %w", name, err)
		}
		c.f.Close()
		c.f = nil
	}
	return st, nil
}
