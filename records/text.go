package records

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte{0xEF, 0xBB, 0xBF}

// checkText refuses what JSON decoding would let through silently: bytes
// that are not UTF-8 (the decoder turns them into U+FFFD), a NUL, raw or
// escaped (it would be stored as it is), and a key repeated in one object
// (the decoder keeps the last). Text from sources is hostile; a record
// that says two things, or says them in broken bytes, is refused with the
// byte offset where it goes wrong. The line is a single JSON value, which
// the decoder checks afterwards; this scan only needs to track strings and
// objects.
func checkText(raw []byte) error {
	if !utf8.Valid(raw) {
		off := 0
		for off < len(raw) {
			r, size := utf8.DecodeRune(raw[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return fmt.Errorf("invalid UTF-8 at byte %d", off)
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return fmt.Errorf("a NUL byte at byte %d", i)
	}
	// One set of keys per open object; arrays push nil.
	var keys []map[string]bool
	expectKey := false // the next string in this object is a key
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			keys = append(keys, map[string]bool{})
			expectKey = true
		case '[':
			keys = append(keys, nil)
			expectKey = false
		case '}', ']':
			if len(keys) > 0 {
				keys = keys[:len(keys)-1]
			}
			expectKey = false
		case ',':
			expectKey = len(keys) > 0 && keys[len(keys)-1] != nil
		case '"':
			start := i
			end, err := stringEnd(raw, i)
			if err != nil {
				return err
			}
			if end == len(raw) {
				return nil // unterminated: the decoder says so; raw[start:end+1] would overrun
			}
			if expectKey && len(keys) > 0 && keys[len(keys)-1] != nil {
				// As the decoder matches keys to fields: escapes decoded
				// ("n\u0061mes" is names) and case folded ("Names" is
				// names too), the last one kept.
				k := foldKey(decodedKey(raw[start : end+1]))
				if keys[len(keys)-1][k] {
					return fmt.Errorf("key %s appears twice in one object (at byte %d)", raw[start:end+1], start)
				}
				keys[len(keys)-1][k] = true
				expectKey = false
			}
			i = end
		}
	}
	return nil
}

// stringEnd returns the index of the quote that closes the string opening
// at raw[start], refusing an escaped NUL on the way. Keys are compared as
// written: "a" and "\u0061" are told apart, which the decoder would not,
// but no writer of records escapes plain letters.
func stringEnd(raw []byte, start int) (int, error) {
	for i := start + 1; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			if i+5 < len(raw) && raw[i+1] == 'u' && string(raw[i+2:i+6]) == "0000" {
				return 0, fmt.Errorf("an escaped NUL (\\u0000) at byte %d", i)
			}
			i++ // the escaped character
		case '"':
			return i, nil
		}
	}
	return len(raw), nil // unterminated: the decoder says so
}

// decodedKey is a quoted key as the decoder reads it; a key without an
// escape is its bytes.
func decodedKey(quoted []byte) []byte {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return quoted[1 : len(quoted)-1]
	}
	var k string
	if err := json.Unmarshal(quoted, &k); err != nil {
		return quoted[1 : len(quoted)-1] // the decoder reports the bad escape itself
	}
	return []byte(k)
}

// foldKey folds a key as encoding/json does when it matches keys to
// fields: each rune to the smallest of its case-folding orbit.
func foldKey(k []byte) string {
	return strings.Map(func(r rune) rune {
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				return r2
			}
			r = r2
		}
	}, string(k))
}
