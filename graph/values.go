package graph

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Property values travel in backups, and into the canonical hash, as JSON
// that keeps their Neo4j type. Strings, booleans and integers are JSON's
// own; a float always has a decimal point or an exponent, so 1.0 never
// reads back as the integer 1; a list is an array; every other type is an
// object whose one key names it:
//
//	{"float": "NaN"}                         NaN, +Inf, -Inf
//	{"date": "2024-01-31"}
//	{"localdatetime": "2024-01-31T10:00:00.5"}
//	{"datetime": "2024-01-31T09:00:00.5Z", "zone": "Europe/Paris"}   the instant in UTC, and its zone,
//	{"datetime": "2024-01-31T09:00:00.5Z", "offset": 3600}           or its offset in seconds
//	{"localtime": "10:00:00.5"}
//	{"time": "10:00:00.5", "offset": 3600}
//	{"duration": [months, days, seconds, nanoseconds]}
//	{"point": [srid, x, y]} or {"point": [srid, x, y, z]}
//	{"bytes": "base64"}
//
// A property is never a map in Neo4j, so an object is always one of these.
// Map keys are written sorted, so one value has one encoding, which the
// canonical hash relies on. A value the format cannot hold exactly (a year
// outside 0000-9999, text that is not UTF-8) is an error, never rounded.

// appendProps appends props as a JSON object, keys sorted.
func appendProps(b []byte, props map[string]any) ([]byte, error) {
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(props)) {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendString(b, k); err != nil {
			return nil, fmt.Errorf("property name: %w", err)
		}
		b = append(b, ':')
		if b, err = appendValue(b, props[k]); err != nil {
			return nil, fmt.Errorf("property %q: %w", k, err)
		}
	}
	return append(b, '}'), nil
}

// appendArray appends a JSON array of xs, each by one.
func appendArray[T any](b []byte, xs []T, one func([]byte, T) ([]byte, error)) ([]byte, error) {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = one(b, x); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendStrings appends a JSON array of strings.
func appendStrings(b []byte, ss []string) ([]byte, error) { return appendArray(b, ss, appendString) }

// Layouts of the temporal values; the nines drop trailing zeros, and
// parsing takes any number of fraction digits.
const (
	dateLayout    = "2006-01-02"
	clockLayout   = "15:04:05.999999999"
	localDTLayout = dateLayout + "T" + clockLayout
	utcLayout     = localDTLayout + "Z"
)

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return appendString(b, v)
	case bool:
		return strconv.AppendBool(b, v), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendFloat(b, v), nil
	case []any:
		return appendArray(b, v, appendValue)
	case []byte:
		b = append(b, `{"bytes":"`...)
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, `"}`...), nil
	case dbtype.Date:
		t := time.Time(v)
		if err := checkYear(t); err != nil {
			return nil, err
		}
		return tagged(b, "date", t.AppendFormat(nil, dateLayout), nil), nil
	case dbtype.LocalDateTime:
		t := time.Time(v)
		if err := checkYear(t); err != nil {
			return nil, err
		}
		return tagged(b, "localdatetime", t.AppendFormat(nil, localDTLayout), nil), nil
	case dbtype.LocalTime:
		return tagged(b, "localtime", time.Time(v).AppendFormat(nil, clockLayout), nil), nil
	case dbtype.Time:
		t := time.Time(v)
		_, offset := t.Zone()
		return tagged(b, "time", t.AppendFormat(nil, clockLayout), strconv.AppendInt([]byte(`"offset":`), int64(offset), 10)), nil
	case time.Time:
		u := v.UTC()
		if err := checkYear(u); err != nil {
			return nil, err
		}
		instant := u.AppendFormat(nil, utcLayout)
		// The driver sends a time whose zone is called "Offset" (as it
		// reads one) with its offset, and any other with its zone's name.
		name, offset := v.Zone()
		if name == "Offset" {
			return tagged(b, "datetime", instant, strconv.AppendInt([]byte(`"offset":`), int64(offset), 10)), nil
		}
		zone, err := appendString([]byte(`"zone":`), v.Location().String())
		if err != nil {
			return nil, err
		}
		return tagged(b, "datetime", instant, zone), nil
	case dbtype.Duration:
		b = append(b, `{"duration":[`...)
		b = strconv.AppendInt(b, v.Months, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, v.Days, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, v.Seconds, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v.Nanos), 10)
		return append(b, "]}"...), nil
	case dbtype.Point2D:
		return appendPoint(b, v.SpatialRefId, v.X, v.Y), nil
	case dbtype.Point3D:
		return appendPoint(b, v.SpatialRefId, v.X, v.Y, v.Z), nil
	default:
		return nil, fmt.Errorf("a value of type %T, which the backup format does not know", v)
	}
}

// tagged appends {"tag":"text"} with extra ("key":value) inside when set.
func tagged(b []byte, tag string, text, extra []byte) []byte {
	b = append(b, `{"`...)
	b = append(b, tag...)
	b = append(b, `":"`...)
	b = append(b, text...)
	b = append(b, '"')
	if extra != nil {
		b = append(b, ',')
		b = append(b, extra...)
	}
	return append(b, '}')
}

func appendPoint(b []byte, srid uint32, coords ...float64) []byte {
	b = append(b, `{"point":[`...)
	b = strconv.AppendUint(b, uint64(srid), 10)
	for _, c := range coords {
		b = append(b, ',')
		b = appendFloat(b, c)
	}
	return append(b, "]}"...)
}

// appendFloat writes the shortest text that reads back as the same float,
// with ".0" added where that text would read as an integer.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `{"float":"NaN"}`...)
	case math.IsInf(f, 1):
		return append(b, `{"float":"+Inf"}`...)
	case math.IsInf(f, -1):
		return append(b, `{"float":"-Inf"}`...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if !strings.ContainsAny(string(b[start:]), ".e") {
		b = append(b, ".0"...)
	}
	return b
}

// checkYear refuses a year the layouts cannot write as four digits;
// Neo4j allows years far beyond, which no record here holds.
func checkYear(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("the year %d is outside 0000-9999, which the backup format holds", y)
	}
	return nil
}

// appendString appends s as a JSON string. Text that is not UTF-8 is an
// error: encoding/json would replace it, and the value would change.
func appendString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("text that is not UTF-8: %q", s)
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"'), nil
}

// decodeProps turns properties decoded from JSON with UseNumber back into
// the values Neo4j stored.
func decodeProps(raw map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		d, err := decodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", k, err)
		}
		out[k] = d
	}
	return out, nil
}

func decodeValue(v any) (any, error) {
	switch v := v.(type) {
	case string, bool:
		return v, nil
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return strconv.ParseFloat(string(v), 64)
		}
		return strconv.ParseInt(string(v), 10, 64)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			d, err := decodeValue(x)
			if err != nil {
				return nil, err
			}
			out[i] = d
		}
		return out, nil
	case map[string]any:
		return decodeTagged(v)
	default:
		return nil, fmt.Errorf("%v is not a property value", v)
	}
}

// decodeTagged reads the objects appendValue writes for the types JSON
// lacks.
func decodeTagged(m map[string]any) (any, error) {
	text := func(key string) (string, bool) { s, ok := m[key].(string); return s, ok }
	offset := func() (*time.Location, error) {
		n, ok := m["offset"].(json.Number)
		if !ok {
			return nil, fmt.Errorf("%v has no offset", m)
		}
		secs, err := strconv.ParseInt(string(n), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("offset %v: %w", n, err)
		}
		// The name the driver gives offsets, and sends them by.
		return time.FixedZone("Offset", int(secs)), nil
	}
	numbers := func(key string) ([]json.Number, bool) {
		list, ok := m[key].([]any)
		out := make([]json.Number, len(list))
		for i, x := range list {
			if out[i], ok = x.(json.Number); !ok {
				return nil, false
			}
		}
		return out, ok
	}
	want := 1
	var out any
	var err error
	if s, ok := text("float"); ok {
		out, err = strconv.ParseFloat(s, 64)
	} else if s, ok := text("bytes"); ok {
		out, err = base64.StdEncoding.DecodeString(s)
	} else if s, ok := text("date"); ok {
		var t time.Time
		t, err = time.Parse(dateLayout, s)
		out = dbtype.Date(t)
	} else if s, ok := text("localdatetime"); ok {
		var t time.Time
		t, err = time.Parse(localDTLayout, s)
		out = dbtype.LocalDateTime(t)
	} else if s, ok := text("localtime"); ok {
		var t time.Time
		t, err = time.Parse(clockLayout, s)
		out = dbtype.LocalTime(t)
	} else if s, ok := text("time"); ok {
		want = 2
		var loc *time.Location
		var t time.Time
		if loc, err = offset(); err == nil {
			t, err = time.ParseInLocation(clockLayout, s, loc)
		}
		out = dbtype.Time(t)
	} else if s, ok := text("datetime"); ok {
		want = 2
		var t time.Time
		if t, err = time.Parse(utcLayout, s); err == nil {
			var loc *time.Location
			if zone, ok := text("zone"); ok {
				loc, err = time.LoadLocation(zone)
			} else {
				loc, err = offset()
			}
			if err == nil {
				out = t.In(loc)
			}
		}
	} else if ns, ok := numbers("duration"); ok && len(ns) == 4 {
		var d [4]int64
		for i, n := range ns {
			if d[i], err = strconv.ParseInt(string(n), 10, 64); err != nil {
				break
			}
		}
		out = dbtype.Duration{Months: d[0], Days: d[1], Seconds: d[2], Nanos: int(d[3])}
	} else if ns, ok := numbers("point"); ok && (len(ns) == 3 || len(ns) == 4) {
		var srid uint64
		var c [3]float64
		if srid, err = strconv.ParseUint(string(ns[0]), 10, 32); err == nil {
			for i, n := range ns[1:] {
				if c[i], err = strconv.ParseFloat(string(n), 64); err != nil {
					break
				}
			}
		}
		if len(ns) == 3 {
			out = dbtype.Point2D{SpatialRefId: uint32(srid), X: c[0], Y: c[1]}
		} else {
			out = dbtype.Point3D{SpatialRefId: uint32(srid), X: c[0], Y: c[1], Z: c[2]}
		}
	} else {
		return nil, fmt.Errorf("%v is not a property value", m)
	}
	if err == nil && len(m) != want {
		err = fmt.Errorf("%v has keys of another value", m)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
