package records_test

import (
	"testing"

	"github.com/exportwatch/exportwatch/records"
)

func TestCheckIdentifier(t *testing.T) {
	for _, tc := range []struct {
		scheme, value string
		ok            bool
	}{
		{"lei", "5493001KJTIIGC8Y1R12", true},
		{"lei", "254900OPPU84GM83MG36", true},
		{"lei", "213800WAVVOPS85N2205", true},
		{"lei", "5493001KJTIIGC8Y1R13", false}, // one check digit off
		{"lei", "5493001KJTIIGC8Y1R21", false}, // check digits swapped
		{"lei", "5493001kjtiigc8y1r12", false},
		{"lei", "5493001KJTIIGC8Y1R1", false},
		{"cik", "320193", true}, {"cik", "0000320193", true}, {"cik", "00003201931", false}, {"cik", "CIK320193", false},
		{"wikidata", "Q42", true}, {"wikidata", "q42", false}, {"wikidata", "Q042", false},
		{"duns", "150483782", true}, {"duns", "15-048-3782", false},
		{"uei", "ZQGGHJH74DW7", true}, {"uei", "0QGGHJH74DW7", false}, {"uei", "ZQGGHJH74DWO", false},
		{"ogrn", "1027700132195", true}, {"ogrn", "1027700132194", false}, {"ogrn", "304500000000010", true}, {"ogrn", "304500000000011", false},
		{"inn", "7707083893", true}, {"inn", "7707083894", false}, {"inn", "500123456750", true}, {"inn", "500123456751", false},
		{"registry", "RA000585/01234567", true}, {"registry", "RA000585/SC123456", true},
		{"registry", "RA000585/1234567", false}, {"registry", "RA000585/", false}, {"registry", "companies house/01234567", false},
		{"registry", "RA000665/HRB 12345", true}, {"registry", "DE-HRB12345", true}, {"registry", "12345", false},
		{"registry", "", false},
		{"swift", "DEUTDEFF", true}, {"Bad Scheme", "x", false},
	} {
		err := records.CheckIdentifier(tc.scheme, tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("CheckIdentifier(%q, %q) = %v, want ok %v", tc.scheme, tc.value, err, tc.ok)
		}
	}
}
