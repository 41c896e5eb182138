package country

import "testing"

func TestLookup(t *testing.T) {
	tests := []struct {
		code, name, demonym string
		ok                  bool
	}{
		{"AZ", "Azerbaijan", "Azerbaijani", true},
		{"by", "Belarus", "Belarusian", true},
		{"IL", "Israel", "Israeli", true},
		{"XK", "Kosovo", "Kosovar", true},
		{"ZZ", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		c, ok := Lookup(tt.code)
		if ok != tt.ok || c.Name != tt.name || c.Demonym != tt.demonym {
			t.Errorf("Lookup(%q) = %+v, %v; want %s/%s, %v", tt.code, c, ok, tt.name, tt.demonym, tt.ok)
		}
	}
	if Valid("az") {
		t.Error(`Valid("az") = true; records want upper case`)
	}
}

func TestAll(t *testing.T) {
	all := All()
	if len(all) < 249 {
		t.Fatalf("All() has %d countries, want at least the 249 of ISO 3166-1", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Code >= all[i].Code {
			t.Fatalf("All() not ordered at %s, %s", all[i-1].Code, all[i].Code)
		}
	}
}

func TestByName(t *testing.T) {
	for name, want := range map[string]string{"UNITED STATES": "US", "Azerbaijan": "AZ", " republic of belarus ": "BY", "Narnia": "", "": ""} {
		c, ok := ByName(name)
		if c.Code != want || ok != (want != "") {
			t.Errorf("ByName(%q) = %q, %v; want %q", name, c.Code, ok, want)
		}
	}
}

func TestByAlpha3(t *testing.T) {
	for code, want := range map[string]string{"DEU": "DE", "usa": "US", "AZE": "AZ", "XXX": ""} {
		if c, ok := ByAlpha3(code); c.Code != want || ok != (want != "") {
			t.Errorf("ByAlpha3(%q) = %q, %v; want %q", code, c.Code, ok, want)
		}
	}
}
