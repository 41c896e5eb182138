package hostile_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/hostile"
)

// TestFileIsValid: the attacks are text a source could send, so the
// record reader accepts them; the outputs, not the reader, must keep them
// inert.
func TestFileIsValid(t *testing.T) {
	var b bytes.Buffer
	if err := hostile.File(&b); err != nil {
		t.Fatal(err)
	}
	rd := records.NewReader(&b, "hostile.jsonl")
	n := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 6 {
		t.Errorf("%d records, want 6", n)
	}
}
