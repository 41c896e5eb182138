package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// TestValuesRoundTrip: every property type the driver returns reads back
// as the same type and value, and the text of each is as documented.
func TestValuesRoundTrip(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    any
		text string
	}{
		{"string", "a \"quote\"\n\\ \x01 é 𝄞", `"a \"quote\"\n\\ \u0001 é 𝄞"`},
		{"empty string", "", `""`},
		{"bool", true, `true`},
		{"int", int64(1), `1`},
		{"int extremes", []any{int64(math.MaxInt64), int64(math.MinInt64)}, `[9223372036854775807,-9223372036854775808]`},
		{"float with no fraction", 1.0, `1.0`},
		{"float", 0.1, `0.1`},
		{"negative zero", math.Copysign(0, -1), `-0.0`},
		{"large float", 1e21, `1e+21`},
		{"smallest float", 5e-324, `5e-324`},
		{"NaN", math.NaN(), `{"float":"NaN"}`},
		{"infinity", math.Inf(-1), `{"float":"-Inf"}`},
		{"lists", []any{[]any{"a", "b"}, []any{int64(1)}, []any{1.5, 2.0}, []any{}}, `[["a","b"],[1],[1.5,2.0],[]]`},
		{"bytes", []byte{0, 1, 255}, `{"bytes":"AAH/"}`},
		{"date", dbtype.Date(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)), `{"date":"2024-02-29"}`},
		{"date before 1970", dbtype.Date(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)), `{"date":"0001-01-01"}`},
		{"local datetime", dbtype.LocalDateTime(time.Date(2024, 1, 31, 10, 0, 0, 500, time.UTC)), `{"localdatetime":"2024-01-31T10:00:00.0000005"}`},
		{"local time", dbtype.LocalTime(time.Date(0, 1, 1, 23, 59, 59, 999999999, time.UTC)), `{"localtime":"23:59:59.999999999"}`},
		{"time", dbtype.Time(time.Date(0, 1, 1, 10, 0, 1, 5e8, time.FixedZone("Offset", 3600))), `{"time":"10:00:01.5","offset":3600}`},
		{"datetime in a zone", time.Date(2024, 7, 1, 10, 0, 0, 123, paris), `{"datetime":"2024-07-01T08:00:00.000000123Z","zone":"Europe/Paris"}`},
		{"datetime at an offset", time.Date(2024, 1, 1, 10, 0, 0, 0, time.FixedZone("Offset", -5*3600-1800)), `{"datetime":"2024-01-01T15:30:00Z","offset":-19800}`},
		{"datetime at an offset of seconds", time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("Offset", 561)), `{"datetime":"1899-12-31T23:50:39Z","offset":561}`},
		{"duration", dbtype.Duration{Months: 14, Days: -3, Seconds: 14706, Nanos: 700000000}, `{"duration":[14,-3,14706,700000000]}`},
		{"point", dbtype.Point2D{SpatialRefId: 7203, X: 1, Y: -2.5}, `{"point":[7203,1.0,-2.5]}`},
		{"point in 3D", dbtype.Point3D{SpatialRefId: 4979, X: 2, Y: 1, Z: 3}, `{"point":[4979,2.0,1.0,3.0]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := appendValue(nil, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.text {
				t.Errorf("written as %s, want %s", b, tc.text)
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			var raw any
			if err := dec.Decode(&raw); err != nil {
				t.Fatal(err)
			}
			got, err := decodeValue(raw)
			if err != nil {
				t.Fatal(err)
			}
			// Written again, the value reads the same: times compare by
			// instant and zone, floats by bits (NaN and -0 included).
			again, err := appendValue(nil, got)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != tc.text {
				t.Errorf("read back as %#v, written %s", got, again)
			}
			if diff := cmp.Diff(typeNames(tc.v), typeNames(got)); diff != "" {
				t.Errorf("types (-wrote +read):\n%s", diff)
			}
			if zt, ok := got.(time.Time); ok && zt.Location().String() != tc.v.(time.Time).Location().String() {
				t.Errorf("zone %s, want %s", zt.Location(), tc.v.(time.Time).Location())
			}
		})
	}
}

// typeNames lists a value's Go types, a list's elements included.
func typeNames(v any) []string {
	if list, ok := v.([]any); ok {
		out := []string{"list"}
		for _, x := range list {
			out = append(out, typeNames(x)...)
		}
		return out
	}
	return []string{fmt.Sprintf("%T", v)}
}

// TestValuesRefused: what the format cannot hold exactly is an error.
func TestValuesRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		says string
	}{
		{"a year past 9999", dbtype.Date(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), "year 10000"},
		{"text that is not UTF-8", "a\xffb", "not UTF-8"},
		{"a map", map[string]any{"a": int64(1)}, "does not know"},
		{"null in a list", []any{nil}, "does not know"},
	} {
		if _, err := appendValue(nil, tc.v); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.says)
		}
	}
	for _, text := range []string{`{"date":"2024-02-30"}`, `{"datetime":"2024-01-01T00:00:00Z"}`, `{"time":"10:00"}`, `{"point":[1,2]}`, `{"date":"2024-01-01","offset":1}`, `{"what":1}`, `null`} {
		dec := json.NewDecoder(strings.NewReader(text))
		dec.UseNumber()
		var raw any
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if v, err := decodeValue(raw); err == nil {
			t.Errorf("%s read as %#v, want an error", text, v)
		}
	}
}
