package scrapers

import (
	"strings"

	"github.com/exportwatch/exportwatch/records"
)

// FirstText returns the first of texts that is not blank, trimmed: the
// title a source gives, else its description, else …
func FirstText(texts ...string) string {
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			return t
		}
	}
	return ""
}

// Date keeps the calendar date of a source's date or date-time, in any of
// the forms sources write ("2024-02-05T00:00:00Z", "2023-05-10+02:00",
// "2021-09-24"); empty when it has none.
func Date(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && records.ValidDate(s[:10]) {
		return s[:10]
	}
	return ""
}

// Squash collapses the white space of text taken from a page (no-break
// spaces included) to single spaces.
func Squash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// ContainsFold says whether list holds s, case aside.
func ContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
