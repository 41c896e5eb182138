package graph

import "testing"

func TestQuoteWeakness(t *testing.T) {
	sandvine := map[string]any{"name": "Sandvine Inc.", "aliases": []any{"Sandvine"}, "schema": "Company"}
	egypt := map[string]any{"name": "Government of Egypt", "aliases": []any{}, "country": "EG", "schema": "PublicBody"}
	shutdown := map[string]any{"name": "Internet shutdown, Belarus 2020", "country": "BY", "schema": "Incident"}
	for _, tc := range []struct {
		name   string
		quotes []string
		ends   []map[string]any
		want   string
	}{
		{"names the vendor", []string{"Sandvine's devices were sold to the telecom regulator"}, []map[string]any{sandvine, egypt}, ""},
		{"names the buyer by its demonym", []string{"the Egyptian authorities bought the devices last year"}, []map[string]any{sandvine, egypt}, ""},
		{"names an incident's country", []string{"Belarusian officials shut the internet down with this"}, []map[string]any{sandvine, shutdown}, ""},
		{"a fragment", []string{"Egypt"}, []map[string]any{sandvine, egypt}, "every quote is under 6 words"},
		{"names neither", []string{"the devices were installed at the exchange point in the capital"}, []map[string]any{sandvine, egypt}, "no quote names the subject or the object"},
		{"one of two quotes is enough", []string{"Egypt", "Sandvine confirmed the sale in a statement to reporters"}, []map[string]any{sandvine, egypt}, ""},
	} {
		if got := quoteWeakness(tc.quotes, tc.ends); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
