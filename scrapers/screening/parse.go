package screening

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/exportwatch/exportwatch/records"
)

// Each parser reads a stream and hands fn one listing at a time; a row or
// entry it cannot read is reported through problem (with its line or
// position) and skipped, and the rest is read. fn's error stops the parse.

// bomless drops a UTF-8 byte-order mark, which spreadsheet tools put at
// the head of CSV files.
func bomless(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	return br
}

// splitList splits a CSL cell that holds several values ("a; b; c").
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ParseCSLCSV reads consolidated.csv. Columns are found by name; a row
// with another number of fields than the header (a ragged row) is
// reported and skipped, since its fields cannot be told apart.
func ParseCSLCSV(r io.Reader, fn func(Listing) error, problem func(string, ...any)) error {
	cr := csv.NewReader(bomless(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("CSL CSV: no header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"source", "name"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("CSL CSV: the header has no %q column (header: %s)", need, strings.Join(header, ","))
		}
	}
	width := len(header)
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			problem("CSL CSV line %d: %v", pe.Line, pe.Err)
			continue
		}
		if err != nil {
			return fmt.Errorf("CSL CSV: %w", err)
		}
		// Only a row read whole has field positions: FieldPos panics after an error.
		line, _ := cr.FieldPos(0)
		if len(row) != width {
			problem("CSL CSV line %d: %d fields, the header has %d; row skipped", line, len(row), width)
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		l := Listing{ID: cmp.Or(get("entity_number"), get("_id")), Source: get("source"), Type: get("type"), Name: get("name"),
			AltNames: splitList(get("alt_names")), Programs: splitList(get("programs")), Notice: get("federal_register_notice"),
			Start: get("start_date"), End: get("end_date"), LicensePolicy: get("license_policy"),
			LicenseRequirement: get("license_requirement"), Remarks: get("remarks"), SourceListURL: get("source_list_url")}
		for _, a := range splitList(get("addresses")) {
			// "street, city, state, postal code, country": the country is last.
			parts := strings.Split(a, ",")
			l.Countries = append(l.Countries, strings.TrimSpace(parts[len(parts)-1]))
		}
		for _, id := range splitList(get("ids")) {
			// "type, number, country, …" per identifier.
			parts := strings.Split(id, ",")
			x := ID{Type: strings.TrimSpace(parts[0])}
			if len(parts) > 1 {
				x.Number = strings.TrimSpace(parts[1])
			}
			if len(parts) > 2 {
				x.Country = strings.TrimSpace(parts[2])
			}
			l.IDs = append(l.IDs, x)
		}
		if err := fn(l); err != nil {
			return err
		}
	}
}

// cslJSON is one entry of the CSL JSON.
type cslJSON struct {
	ID                 string    `json:"id"`
	EntityNumber       string    `json:"entity_number"`
	Source             string    `json:"source"`
	Type               string    `json:"type"`
	Name               string    `json:"name"`
	AltNames           []string  `json:"alt_names"`
	Programs           []string  `json:"programs"`
	Notice             string    `json:"federal_register_notice"`
	StartDate          string    `json:"start_date"`
	EndDate            string    `json:"end_date"`
	LicensePolicy      string    `json:"license_policy"`
	LicenseRequirement string    `json:"license_requirement"`
	Remarks            string    `json:"remarks"`
	SourceListURL      string    `json:"source_list_url"`
	Addresses          []address `json:"addresses"`
	IDs                []idItem  `json:"ids"`
}

// address and idItem are what the CSL JSON and the SDN XML say of a
// listing's places and identifiers, in their two spellings.
type address struct {
	Country string `json:"country" xml:"country"`
}

type idItem struct {
	Type    string `json:"type" xml:"idType"`
	Number  string `json:"number" xml:"idNumber"`
	Country string `json:"country" xml:"idCountry"`
}

// place adds a listing's address countries and identifiers.
func (l *Listing) place(addrs []address, ids []idItem) {
	for _, a := range addrs {
		l.Countries = append(l.Countries, a.Country)
	}
	for _, id := range ids {
		l.IDs = append(l.IDs, ID(id))
	}
}

// ParseCSLJSON reads consolidated.json, an object whose "results" array
// holds the entries, one entry at a time.
func ParseCSLJSON(r io.Reader, fn func(Listing) error, problem func(string, ...any)) error {
	dec := json.NewDecoder(bomless(r))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("CSL JSON: not an object (%v)", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("CSL JSON: %w", err)
		}
		if key, _ := t.(string); key != "results" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fmt.Errorf("CSL JSON: %q: %w", key, err)
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return fmt.Errorf("CSL JSON: results is not an array (%v)", err)
		}
		for i := 0; dec.More(); i++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fmt.Errorf("CSL JSON: result %d at byte %d: %w", i, dec.InputOffset(), err)
			}
			var e cslJSON
			if err := json.Unmarshal(raw, &e); err != nil {
				problem("CSL JSON result %d: %v", i, err)
				continue
			}
			l := Listing{ID: cmp.Or(e.EntityNumber, e.ID), Source: e.Source, Type: e.Type, Name: e.Name, AltNames: e.AltNames,
				Programs: e.Programs, Notice: e.Notice, Start: e.StartDate, End: e.EndDate, LicensePolicy: e.LicensePolicy,
				LicenseRequirement: e.LicenseRequirement, Remarks: e.Remarks, SourceListURL: e.SourceListURL}
			l.place(e.Addresses, e.IDs)
			if err := fn(l); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("CSL JSON: %w", err)
		}
	}
	return nil
}

// sdnNull is how the legacy SDN files write an empty field.
const sdnNull = "-0-"

func sdnField(row []string, i int) string {
	if i >= len(row) {
		return ""
	}
	v := strings.TrimSpace(row[i])
	if v == sdnNull {
		return ""
	}
	return v
}

// SDNExtras are the aliases (alt.csv) and address countries (add.csv) of
// the legacy SDN files, by ent_num; they are small beside sdn.csv, which
// is streamed.
type SDNExtras struct {
	Aliases   map[string][]string
	Countries map[string][]string
}

// ParseSDNExtras reads alt.csv and add.csv (either may be nil).
func ParseSDNExtras(alt, add io.Reader, problem func(string, ...any)) (SDNExtras, error) {
	x := SDNExtras{Aliases: map[string][]string{}, Countries: map[string][]string{}}
	// alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks
	err := eachLegacyRow(alt, "alt.csv", problem, func(_ int, row []string) error {
		if id, name := sdnField(row, 0), sdnField(row, 3); id != "" && name != "" {
			x.Aliases[id] = append(x.Aliases[id], name)
		}
		return nil
	})
	if err != nil {
		return x, err
	}
	// add.csv: ent_num, add_num, address, city/state/postal code, country, add_remarks
	err = eachLegacyRow(add, "add.csv", problem, func(_ int, row []string) error {
		if id, c := sdnField(row, 0), sdnField(row, 4); id != "" && c != "" {
			x.Countries[id] = append(x.Countries[id], c)
		}
		return nil
	})
	return x, err
}

// sdnTypes maps the legacy sdn.csv's SDN_Type: an empty type is an
// entity.
var sdnTypes = map[string]string{"individual": "Individual", "vessel": "Vessel", "aircraft": "Aircraft", "": "Entity"}

// ParseSDNCSV reads the legacy sdn.csv (no header: ent_num, SDN_Name,
// SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
// Vess_owner, Remarks; "-0-" for empty), joined with its extras.
func ParseSDNCSV(r io.Reader, x SDNExtras, fn func(Listing) error, problem func(string, ...any)) error {
	return eachLegacyRow(r, "sdn.csv", problem, func(line int, row []string) error {
		if len(row) != 12 {
			problem("sdn.csv line %d: %d fields, want 12; row skipped", line, len(row))
			return nil
		}
		id := sdnField(row, 0)
		typ, ok := sdnTypes[strings.ToLower(sdnField(row, 2))]
		if !ok {
			typ = sdnField(row, 2)
		}
		return fn(Listing{ID: id, Source: "Specially Designated Nationals (SDN) - Treasury Department", Type: typ, Name: sdnField(row, 1),
			Programs: programs(sdnField(row, 3)), Remarks: sdnField(row, 11), AltNames: x.Aliases[id], Countries: x.Countries[id]})
	})
}

// eachLegacyRow reads a headerless legacy OFAC CSV (nil reads nothing):
// a row the CSV reader refuses is reported with its line, and the DOS
// end-of-file mark the files end with is passed over.
func eachLegacyRow(r io.Reader, name string, problem func(string, ...any), fn func(int, []string) error) error {
	if r == nil {
		return nil
	}
	cr := csv.NewReader(bomless(r))
	cr.FieldsPerRecord = -1
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			problem("%s line %d: %v", name, pe.Line, pe.Err)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "\x1a" {
			continue
		}
		line, _ := cr.FieldPos(0)
		if err := fn(line, row); err != nil {
			return err
		}
	}
}

// programs splits the legacy files' "[SDGT] [IRGC]" or "SDGT] [IRGC".
func programs(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '[' || r == ']' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sdnEntry is one <sdnEntry> of the SDN XML.
type sdnEntry struct {
	UID       string   `xml:"uid"`
	FirstName string   `xml:"firstName"`
	LastName  string   `xml:"lastName"`
	Type      string   `xml:"sdnType"`
	Remarks   string   `xml:"remarks"`
	Programs  []string `xml:"programList>program"`
	IDs       []idItem `xml:"idList>id"`
	AKAs      []struct {
		FirstName string `xml:"firstName"`
		LastName  string `xml:"lastName"`
	} `xml:"akaList>aka"`
	Addresses []address `xml:"addressList>address"`
}

// ParseSDNXML reads the SDN XML, one <sdnEntry> at a time, whatever its
// namespace. The list's publication date (MM/DD/YYYY, given as ISO) goes
// to published when it is read: the file gives it before the entries.
func ParseSDNXML(r io.Reader, published func(string), fn func(Listing) error, problem func(string, ...any)) error {
	dec := xml.NewDecoder(bomless(r))
	n := 0
	for {
		t, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return errors.New("SDN XML: no sdnEntry")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("SDN XML after %d entries: %w", n, err)
		}
		se, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "Publish_Date":
			var d string
			if err := dec.DecodeElement(&d, &se); err == nil {
				// Only a real day: the date becomes the document's, which must validate.
				if m, dd, y, ok := mdY(d); ok && records.ValidDate(y+"-"+m+"-"+dd) {
					published(y + "-" + m + "-" + dd)
				}
			}
		case "sdnEntry":
			n++
			var e sdnEntry
			if err := dec.DecodeElement(&e, &se); err != nil {
				problem("SDN XML entry %d: %v", n, err)
				continue
			}
			name := strings.TrimSpace(e.LastName)
			if e.FirstName != "" {
				name += ", " + strings.TrimSpace(e.FirstName)
			}
			typ := e.Type
			if typ == "" {
				typ = "Entity"
			}
			l := Listing{ID: e.UID, Source: "Specially Designated Nationals (SDN) - Treasury Department", Type: typ, Name: name,
				Programs: e.Programs, Remarks: strings.TrimSpace(e.Remarks)}
			for _, a := range e.AKAs {
				alias := strings.TrimSpace(a.LastName)
				if a.FirstName != "" {
					alias += ", " + strings.TrimSpace(a.FirstName)
				}
				l.AltNames = append(l.AltNames, alias)
			}
			l.place(e.Addresses, e.IDs)
			if err := fn(l); err != nil {
				return err
			}
		}
	}
}

func mdY(s string) (m, d, y string, ok bool) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return "", "", "", false
	}
	pad := func(x string) string {
		if len(x) == 1 {
			return "0" + x
		}
		return x
	}
	return pad(parts[0]), pad(parts[1]), parts[2], true
}
