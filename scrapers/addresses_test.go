package scrapers_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers"
)

func TestRefusedAddress(t *testing.T) {
	for _, tc := range []struct {
		addr    string
		refused bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true}, {"::ffff:127.0.0.1", true},
		{"0.0.0.0", true}, {"::", true},
		{"10.0.0.1", true}, {"172.16.0.1", true}, {"172.31.255.254", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"169.254.0.1", true}, {"fe80::1", true},
		{"fd00:ec2::254", true}, {"fc00::1", true}, {"100.100.100.200", true}, {"100.64.0.1", true},
		{"224.0.0.1", true}, {"ff02::1", true}, {"255.255.255.255", true}, {"198.18.0.1", true},
		{"::127.0.0.1", true}, {"::a00:1", true}, {"64:ff9b::a00:1", true}, {"64:ff9b:1::1", true},
		{"2002:7f00:1::1", true}, {"2001:0:4136:e378::1", true}, {"::1%lo", true}, {"fe80::1%eth0", true},
		{"8.8.8.8", false}, {"93.184.215.14", false}, {"172.32.0.1", false}, {"100.128.0.1", false},
		{"2001:4860:4860::8888", false}, {"::ffff:8.8.8.8", false}, {"2001:db8::1", false},
	} {
		why := scrapers.RefusedAddress(netip.MustParseAddr(tc.addr), nil)
		if (why != "") != tc.refused {
			t.Errorf("RefusedAddress(%s) = %q, want refused %v", tc.addr, why, tc.refused)
		}
	}
	allow, err := scrapers.ParseAllow("127.0.0.1, 10.1.0.0/16, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for addr, refused := range map[string]bool{"127.0.0.1": false, "::ffff:127.0.0.1": false, "127.0.0.2": true,
		"10.1.200.3": false, "10.2.0.1": true, "::1": false, "169.254.169.254": true} {
		if why := scrapers.RefusedAddress(netip.MustParseAddr(addr), allow); (why != "") != refused {
			t.Errorf("with the allowlist, RefusedAddress(%s) = %q, want refused %v", addr, why, refused)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "1.2.3"} {
		if _, err := scrapers.ParseAllow(bad); err == nil {
			t.Errorf("ParseAllow(%q): no error", bad)
		}
	}
}

// TestGuardRefusesLoopback fetches from a loopback server by several
// spellings of its address: with the guard on, the server sees no request
// (not even for robots.txt) until the allowlist names loopback.
func TestGuardRefusesLoopback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "inside")
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	cfg := testConfig(t)
	cfg.GuardAddresses, cfg.Retries = true, 0
	c := newCollector(t, cfg)
	for _, u := range []string{srv.URL, "http://localhost:" + port, "http://[::ffff:127.0.0.1]:" + port} {
		_, err := c.Fetch(context.Background(), scrapers.Request{URL: u + "/secret"})
		if !errors.Is(err, scrapers.ErrRefusedAddress) {
			t.Errorf("%s: err = %v, want ErrRefusedAddress", u, err)
		} else if !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: the error does not say why: %v", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("the guarded collector reached the server %d times", hits.Load())
	}

	cfg = testConfig(t)
	cfg.GuardAddresses = true
	cfg.Allow, _ = scrapers.ParseAllow("127.0.0.1")
	resp, err := newCollector(t, cfg).Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/secret"})
	if err != nil || string(resp.Body) != "inside" {
		t.Fatalf("allowlisted loopback: %v", err)
	}
}
