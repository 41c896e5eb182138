package roundtrip_test

import (
	"testing"

	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/ted"
)

// TestTED loads what ted wrote from good and bad notices: the two claims
// of the award notices.
func TestTED(t *testing.T) {
	srv := scrapertest.TED(t)
	var args []string
	for _, n := range []string{"301234-2019", "654321-2024", "111111-2019", "999999-2024", "888888-2024", "777777-2024", "000000-2020"} {
		args = append(args, "--notice", n)
	}
	_, sum, _ := trip(t, ted.Source, srv.URL, false, args...)
	if sum.Claims.Written != 2 {
		t.Fatalf("load: %v", sum)
	}
}
