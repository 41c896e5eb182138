package scrapers

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// refusedRanges are the addresses a server that fetches URLs typed by its
// users must not reach unless told to: its own machine, the networks
// behind it, and the cloud metadata services that hand out credentials
// (169.254.169.254 and fd00:ec2::254 fall inside link-local and unique
// local; 100.100.100.200 inside shared address space).
var refusedRanges = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (carrier NAT, some metadata services)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (cloud metadata)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	// IPv6 forms that carry an IPv4 address a gateway may route to:
	// refused whole rather than judged by the address inside.
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "NAT64 (local use)"},
	{netip.MustParsePrefix("2002::/16"), "6to4"},
	{netip.MustParsePrefix("2001::/32"), "Teredo"},
	{netip.MustParsePrefix("fc00::/7"), "unique local (private)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// RefusedAddress says why ip may not be fetched from, or "" when it may.
// An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as IPv4,
// and a zone (fe80::1%eth0) is dropped, since no prefix holds a zoned
// address.
func RefusedAddress(ip netip.Addr, allow []netip.Prefix) string {
	ip = ip.Unmap().WithZone("")
	for _, p := range allow {
		if p.Contains(ip) {
			return ""
		}
	}
	for _, r := range refusedRanges {
		if r.prefix.Contains(ip) {
			return r.what
		}
	}
	return ""
}

// ParseAllow reads a comma-separated list of CIDR prefixes or single
// addresses ("127.0.0.1, 10.1.0.0/16").
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or a CIDR prefix", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked())
	}
	return out, nil
}

// GuardControl refuses a connection to a refused address, as a
// net.Dialer's Control. It runs on the address actually dialled, after
// name resolution, so a name that resolves to an inside address, a
// rebinding name and a redirect to one are all caught, as is robots.txt,
// fetched through the same transport. Webhooks are posted through it too.
func GuardControl(allow []netip.Prefix) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return &FetchError{URL: address, Err: ErrRefusedAddress, Detail: "unreadable address"}
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return &FetchError{URL: address, Err: ErrRefusedAddress, Detail: "unreadable address"}
		}
		if why := RefusedAddress(ip, allow); why != "" {
			return &FetchError{URL: address, Err: ErrRefusedAddress, Detail: fmt.Sprintf("%s is %s", ip.Unmap(), why)}
		}
		return nil
	}
}
