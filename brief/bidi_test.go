package brief

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsolate(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain text is left alone", "Sandvine", "Sandvine"},
		{"right-to-left text without controls is left alone", "شركة الاتصالات", "شركة الاتصالات"},
		{"a closed override is isolated", "a\u202Eb\u202Cc", "\u2068a\u202Eb\u202Cc\u2069"},
		{"an open override is closed", "a\u202Eb", "\u2068a\u202Eb\u202C\u2069"},
		{"a stray pop of an isolate is dropped", "a\u2069\u202Eb", "\u2068a\u202Eb\u202C\u2069"},
		{"a stray pop of an override is dropped", "\u202Ca", "\u2068a\u2069"},
		{"a pop of an isolate closes what it holds", "\u2067a\u202Eb\u2069c", "\u2068\u2067a\u202Eb\u202C\u2069c\u2069"},
		{"an override's pop cannot close an isolate", "\u2067a\u202C", "\u2068\u2067a\u2069\u2069"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Isolate(tc.in)); diff != "" {
				t.Errorf("Isolate(%+q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
