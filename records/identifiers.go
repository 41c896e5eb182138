package records

import (
	"fmt"
	"regexp"
	"strings"
)

// CheckIdentifier checks an identifier a person typed against its scheme's
// rules: its shape and, where the scheme has them, its check digits. A
// source's identifiers are kept as the source wrote them; this is for
// editors, whose typo would otherwise join two entities or split one.
func CheckIdentifier(scheme, value string) error {
	v := strings.TrimSpace(value)
	if v == "" {
		return fmt.Errorf("%s: empty", scheme)
	}
	bad := func(want string) error { return fmt.Errorf("%s %q: %s", scheme, v, want) }
	switch scheme {
	case "lei":
		if !ValidLEI(v) {
			return bad("not an LEI (20 letters and digits whose last two are ISO 17442 check digits)")
		}
	case "cik":
		if !cikRe.MatchString(v) {
			return bad("not a CIK (one to ten digits)")
		}
	case "uei":
		if !ueiRe.MatchString(v) {
			return bad("not a SAM UEI (12 letters and digits, no O or I, not starting with 0)")
		}
	case "wikidata":
		if !wikidataRe.MatchString(v) {
			return bad("not a Wikidata item (Q and digits)")
		}
	case "duns":
		if !dunsRe.MatchString(v) {
			return bad("not a D-U-N-S number (nine digits)")
		}
	case "ogrn":
		if !validOGRN(v) {
			return bad("not an OGRN (13 digits, or 15 for a sole trader, the last a check digit)")
		}
	case "inn":
		if !validINN(v) {
			return bad("not an INN (10 digits for an organisation or 12 for a person, with check digits)")
		}
	case "registry":
		register, number, ok := strings.Cut(v, "/")
		switch {
		case !ok && !nationalIDRe.MatchString(v):
			return bad(`want REGISTER/NUMBER (a GLEIF register code such as RA000585 and the number in it) or CC-NUMBER`)
		case ok && !registerRe.MatchString(register):
			return bad("the register is not a GLEIF register code (RA and six digits)")
		case ok && number == "":
			return bad("no number after the register")
		case register == companiesHouse && !companyNumberRe.MatchString(number):
			return bad("not a Companies House number (eight digits, or two letters and six digits)")
		}
	default:
		if !ValidIdentifierScheme(scheme) {
			return fmt.Errorf("identifier scheme %q is not a lower-case word (lei, cik, registry, …)", scheme)
		}
	}
	return nil
}

// companiesHouse is GLEIF's code for the register of England and Wales.
const companiesHouse = "RA000585"

var (
	leiRe           = regexp.MustCompile(`^[A-Z0-9]{18}[0-9]{2}$`)
	cikRe           = regexp.MustCompile(`^[0-9]{1,10}$`)
	ueiRe           = regexp.MustCompile(`^[A-HJ-NP-Z1-9][A-HJ-NP-Z0-9]{11}$`)
	wikidataRe      = regexp.MustCompile(`^Q[1-9][0-9]*$`)
	dunsRe          = regexp.MustCompile(`^[0-9]{9}$`)
	registerRe      = regexp.MustCompile(`^RA[0-9]{6}$`)
	nationalIDRe    = regexp.MustCompile(`^[A-Z]{2}-\S+$`)
	companyNumberRe = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)
)

// ValidLEI checks an LEI's shape and its ISO 7064 MOD 97-10 check digits.
func ValidLEI(lei string) bool {
	if !leiRe.MatchString(lei) {
		return false
	}
	rem := 0
	for _, r := range lei {
		if r >= 'A' && r <= 'Z' {
			rem = (rem*100 + int(r-'A') + 10) % 97
			continue
		}
		rem = (rem*10 + int(r-'0')) % 97
	}
	return rem == 1
}

// validOGRN checks a Russian OGRN: the number formed by all digits but the
// last, modulo 11 (13 digits) or 13 (15 digits), modulo 10, is the last.
func validOGRN(s string) bool {
	if len(s) != 13 && len(s) != 15 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	mod := 11
	if len(s) == 15 {
		mod = 13
	}
	rem := 0
	for _, r := range s[:len(s)-1] {
		rem = (rem*10 + int(r-'0')) % mod
	}
	return rem%10 == int(s[len(s)-1]-'0')
}

// validINN checks a Russian INN's check digits, weighted sums modulo 11
// modulo 10.
func validINN(s string) bool {
	if len(s) != 10 && len(s) != 12 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	check := func(weights []int, at int) bool {
		sum := 0
		for i, w := range weights {
			sum += w * int(s[i]-'0')
		}
		return sum%11%10 == int(s[at]-'0')
	}
	if len(s) == 10 {
		return check([]int{2, 4, 10, 3, 5, 9, 4, 6, 8}, 9)
	}
	return check([]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}, 10) && check([]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}, 11)
}
