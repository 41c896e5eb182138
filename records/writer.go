package records

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Writer writes records as JSON Lines, stamping each with its type and the
// format version.
type Writer struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

// NewWriter writes to w; call Flush when done.
func NewWriter(w io.Writer) *Writer {
	wr := &Writer{w: bufio.NewWriter(w)}
	wr.enc = json.NewEncoder(&wr.buf)
	// Quotes from pages are full of <, > and &; escaping them would make
	// record files harder to read and diff for no gain.
	wr.enc.SetEscapeHTML(false)
	return wr
}

// WriteDocument writes d after validating it.
func (w *Writer) WriteDocument(d Document) error {
	d.Type, d.V = TypeDocument, Version
	if d.ID == "" {
		d.ID = DocumentID(d.URL)
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("document %s: %w", d.URL, err)
	}
	return w.write(d)
}

// WriteEntity writes e after validating it.
func (w *Writer) WriteEntity(e Entity) error {
	e.Type, e.V = TypeEntity, Version
	if err := e.Validate(); err != nil {
		return fmt.Errorf("entity %v: %w", e.Names, err)
	}
	return w.write(e)
}

// WriteClaim writes c after validating it.
func (w *Writer) WriteClaim(c Claim) error {
	c.Type, c.V = TypeClaim, Version
	if err := c.Validate(); err != nil {
		return fmt.Errorf("claim %s %s %s: %w", c.Subject, c.Relation, c.Object, err)
	}
	return w.write(c)
}

// WriteSuggestion writes s after validating it, with its id.
func (w *Writer) WriteSuggestion(s Suggestion) error {
	s.Type, s.V = TypeSuggestion, Version
	s.ID = SuggestionID(s)
	if err := s.Validate(); err != nil {
		return fmt.Errorf("suggestion %s %s %s: %w", s.Subject.Key(), s.Relation, s.Object.Key(), err)
	}
	return w.write(s)
}

func (w *Writer) write(v any) error {
	w.buf.Reset()
	if err := w.enc.Encode(v); err != nil {
		return err
	}
	_, err := w.w.Write(w.buf.Bytes())
	return err
}

// Flush writes out what is buffered.
func (w *Writer) Flush() error { return w.w.Flush() }

// WriteFile creates path and has write fill it: for the generators of
// record files (the seed, synthetic and hostile ones) that write to an
// io.Writer.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
