package scrapers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/exportwatch/exportwatch/records"
)

// Output appends a run's records to a JSON Lines file and never writes the
// same record twice, across runs too: a run killed and started again with
// the same output skips what the first one wrote and continues. Records
// are known by their ids (documents by URL, entities by identifier or
// name, claims by what they say and where), so the second run needs no
// memory of the first beyond the file itself.
type Output struct {
	path string
	f    *os.File
	w    *records.Writer
	seen map[string]bool
	// written and skipped count this run's records; the progress display
	// reads them while the run writes.
	written, skipped atomic.Int64
}

// Written is how many records this run has written.
func (o *Output) Written() int64 { return o.written.Load() }

// Skipped is how many records this run found in the file already.
func (o *Output) Skipped() int64 { return o.skipped.Load() }

// OpenOutput opens path for appending, reading the records already there.
// A last line cut short (the run before was killed mid-write) is removed;
// any other unreadable line is an error, since appending to a file that
// is not a record file would hide the damage.
func OpenOutput(path string) (*Output, error) {
	o := &Output{path: path, seen: map[string]bool{}}
	if err := o.readExisting(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open output: %w", err)
	}
	o.f, o.w = f, records.NewWriter(f)
	return o, nil
}

func (o *Output) readExisting() error {
	data, err := os.ReadFile(o.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read output %s: %w", o.path, err)
	}
	if n := bytes.LastIndexByte(data, '\n'); n+1 < len(data) {
		// A partial last line: the previous run died writing it.
		if err := os.Truncate(o.path, int64(n+1)); err != nil {
			return fmt.Errorf("repair output %s: %w", o.path, err)
		}
		data = data[:n+1]
	}
	rd := records.NewReader(bytes.NewReader(data), o.path)
	for {
		line, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("output %s holds a line that is not a valid record, so it is not a file this program wrote: %w", o.path, err)
		}
		switch {
		case line.Document != nil:
			o.seen[documentKey(*line.Document)] = true
		case line.Entity != nil:
			o.seen[entityKey(*line.Entity)] = true
		case line.Claim != nil:
			o.seen[claimKey(*line.Claim)] = true
		case line.Suggestion != nil:
			o.seen[suggestionKey(*line.Suggestion)] = true
		}
	}
}

func documentKey(d records.Document) string {
	if d.ID != "" {
		return "d " + d.ID
	}
	return "d " + records.DocumentID(d.URL)
}

func entityKey(e records.Entity) string { return "e " + e.Ref + " " + records.EntityID(e) }

func claimKey(c records.Claim) string {
	return "c " + records.ClaimID(c, c.Subject, c.Object, c.Product)
}

func suggestionKey(s records.Suggestion) string { return "s " + records.SuggestionID(s) }

// Document writes d unless the file has it.
func (o *Output) Document(d records.Document) error {
	return o.once(documentKey(d), func() error { return o.w.WriteDocument(d) })
}

// Entity writes e unless the file has it.
func (o *Output) Entity(e records.Entity) error {
	return o.once(entityKey(e), func() error { return o.w.WriteEntity(e) })
}

// Claim writes c unless the file has it.
func (o *Output) Claim(c records.Claim) error {
	return o.once(claimKey(c), func() error { return o.w.WriteClaim(c) })
}

// Suggestion writes s unless the file has it.
func (o *Output) Suggestion(s records.Suggestion) error {
	return o.once(suggestionKey(s), func() error { return o.w.WriteSuggestion(s) })
}

func (o *Output) once(key string, write func() error) error {
	if o.seen[key] {
		o.skipped.Add(1)
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	o.seen[key] = true
	o.written.Add(1)
	return nil
}

// Page writes what one fetched page yields: its document (only when a claim
// cites it), the entities and the claims, then flushes, so a killed run
// loses at most the page in hand.
func (o *Output) Page(doc records.Document, entities []records.Entity, claims []records.Claim) error {
	return o.PageWithSuggestions(doc, entities, claims, nil)
}

// PageWithSuggestions is Page for a source that also suggests claims it
// could not assert; the document is written when a claim or a suggestion
// cites it.
func (o *Output) PageWithSuggestions(doc records.Document, entities []records.Entity, claims []records.Claim, suggestions []records.Suggestion) error {
	if len(claims)+len(suggestions) > 0 {
		if err := o.Document(doc); err != nil {
			return err
		}
	}
	for _, e := range entities {
		if err := o.Entity(e); err != nil {
			return err
		}
	}
	for _, c := range claims {
		if err := o.Claim(c); err != nil {
			return err
		}
	}
	for _, s := range suggestions {
		if err := o.Suggestion(s); err != nil {
			return err
		}
	}
	return o.Flush()
}

// Flush writes what is buffered; a source calls it after each page, so a
// killed run loses at most the page in hand.
func (o *Output) Flush() error {
	if err := o.w.Flush(); err != nil {
		return fmt.Errorf("write output %s: %w", o.path, err)
	}
	return nil
}

// Close flushes and closes the file.
func (o *Output) Close() error {
	err := o.Flush()
	if cerr := o.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close output %s: %w", o.path, cerr)
	}
	return err
}
