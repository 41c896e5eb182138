// Package country is the reference list of countries: ISO 3166-1 alpha-2
// codes (plus XK, Kosovo, which sanctions lists use) with common and official
// names, the English demonym and other names. Record validation uses it to
// refuse unknown codes; the seed turns it into :Country entities; extraction
// uses names and demonyms to resolve "Azerbaijani authorities".
package country

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed countries.tsv
var table string

// Country is one row of the reference list.
type Country struct {
	Code     string
	Name     string
	Official string
	Demonym  string
	Other    []string
	// Alpha3 is the ISO 3166-1 alpha-3 code, which eForms notices use.
	Alpha3 string
}

var (
	once   sync.Once
	byCode map[string]Country
	// byName and byAlpha3 index the same countries by every lower-case
	// name and by alpha-3 code; a name two countries share (none in the
	// table today) goes to the first by code.
	byName   map[string]Country
	byAlpha3 map[string]Country
	loadErr  error
)

func load() {
	byCode = make(map[string]Country, 256)
	for i, line := range strings.Split(table, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 || len(f[0]) != 2 || len(f[5]) != 3 {
			loadErr = fmt.Errorf("countries.tsv:%d: want 6 tab-separated fields", i+1)
			return
		}
		c := Country{Code: f[0], Name: f[1], Official: f[2], Demonym: f[3], Alpha3: f[5]}
		if f[4] != "" {
			c.Other = strings.Split(f[4], ";")
		}
		byCode[c.Code] = c
	}
	byName, byAlpha3 = map[string]Country{}, map[string]Country{}
	codes := make([]string, 0, len(byCode))
	for code := range byCode {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		c := byCode[code]
		byAlpha3[c.Alpha3] = c
		for _, n := range c.Names() {
			if k := strings.ToLower(n); byName[k].Code == "" {
				byName[k] = c
			}
		}
	}
}

func countries() map[string]Country {
	once.Do(load)
	if loadErr != nil {
		// The table is embedded at build time; a broken one is a build defect
		// that the package's tests catch.
		panic(loadErr)
	}
	return byCode
}

// Lookup returns the country with this alpha-2 code (case-insensitive).
func Lookup(code string) (Country, bool) {
	c, ok := countries()[strings.ToUpper(code)]
	return c, ok
}

// Valid reports whether code is a known alpha-2 code, exactly as written
// (upper case), the only form records accept.
func Valid(code string) bool {
	_, ok := countries()[code]
	return ok
}

// All returns every country, ordered by code.
func All() []Country {
	t := countries()
	out := make([]Country, 0, len(t))
	for _, c := range t {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Names returns every name a country goes by: common, official, demonym and
// the others, without duplicates.
func (c Country) Names() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append([]string{c.Name, c.Official, c.Demonym}, c.Other...) {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// ByName finds a country by any of its names, case-insensitively
// ("UNITED STATES", "Azerbaijan", "Republic of Belarus").
func ByName(name string) (Country, bool) {
	countries()
	c, ok := byName[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}

// ByAlpha3 finds a country by its alpha-3 code (case-insensitive).
func ByAlpha3(code string) (Country, bool) {
	countries()
	c, ok := byAlpha3[strings.ToUpper(strings.TrimSpace(code))]
	return c, ok
}
