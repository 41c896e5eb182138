package records

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxLineBytes bounds one record line; a longer one is reported as bad
// without being held in memory.
const MaxLineBytes = 8 << 20

// Line is one parsed record: exactly one of Document, Entity and Claim is set.
type Line struct {
	Num        int
	Document   *Document
	Entity     *Entity
	Claim      *Claim
	Suggestion *Suggestion
}

// LineError says what is wrong with one line, as file:line: reason.
type LineError struct {
	File   string
	Line   int
	Reason string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// Reader streams and validates the lines of a record file. A bad line is
// returned as a *LineError and reading goes on; any other error ends it.
type Reader struct {
	name string
	r    *bufio.Reader
	num  int
	// Skip, when set, is asked for each line number before the line is
	// parsed; lines it skips cost a read but no JSON decoding. A loader that
	// has already validated a file uses it to read only the kind of record
	// it wants on a later pass.
	Skip func(line int) bool
}

// NewReader reads records from r; name is used in error messages.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{name: name, r: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next non-blank line, io.EOF at the end, or a *LineError
// for a line that is not a valid record.
func (rd *Reader) Next() (Line, error) {
	for {
		raw, tooLong, err := rd.readLine()
		if err != nil {
			return Line{}, err
		}
		rd.num++
		if rd.Skip != nil && rd.Skip(rd.num) {
			continue
		}
		if tooLong {
			return Line{}, rd.bad(fmt.Sprintf("line longer than %d bytes", MaxLineBytes))
		}
		if rd.num == 1 {
			// A byte order mark opens the file, not the record.
			raw = bytes.TrimPrefix(raw, bom)
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		if err := checkText(raw); err != nil {
			return Line{}, rd.bad(err.Error())
		}
		return rd.parse(raw)
	}
}

// readLine returns the next line without its newline; an over-long line is
// consumed and reported instead of returned.
func (rd *Reader) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := rd.r.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			tooLong = true
			buf = nil
		} else if !tooLong {
			buf = append(buf, chunk...)
		}
		switch {
		case err == nil:
			return buf, tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return buf, tooLong, nil
		default:
			return nil, false, fmt.Errorf("read %s: %w", rd.name, err)
		}
	}
}

func (rd *Reader) bad(reason string) *LineError {
	return &LineError{File: rd.name, Line: rd.num, Reason: reason}
}

func strict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func (rd *Reader) parse(raw []byte) (Line, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return Line{}, rd.bad("not a JSON object: " + err.Error())
	}
	line := Line{Num: rd.num}
	var err error
	switch head.Type {
	case TypeDocument:
		line.Document = new(Document)
		if err = strict(raw, line.Document); err == nil {
			err = line.Document.Validate()
		}
	case TypeEntity:
		line.Entity = new(Entity)
		if err = strict(raw, line.Entity); err == nil {
			err = line.Entity.Validate()
		}
	case TypeClaim:
		line.Claim = new(Claim)
		if err = strict(raw, line.Claim); err == nil {
			err = line.Claim.Validate()
		}
	case TypeSuggestion:
		line.Suggestion = new(Suggestion)
		if err = strict(raw, line.Suggestion); err == nil {
			err = line.Suggestion.Validate()
		}
	case "":
		err = errors.New("type is required (document, entity, claim or suggestion)")
	default:
		err = fmt.Errorf("type %q is not one of document, entity, claim, suggestion", head.Type)
	}
	if err != nil {
		return Line{}, rd.bad(err.Error())
	}
	return line, nil
}
