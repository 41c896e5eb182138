// Package config reads exportwatch's settings: a .env file first (godotenv,
// which never overrides a variable already set), then the environment, then
// command-line flags, which the commands apply on top. .env.example lists
// every key here with its default.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/joho/godotenv"
)

// Config is every setting, resolved.
type Config struct {
	// Neo4jURI is an external Neo4j; empty means start the bundled one.
	Neo4jURI      string
	Neo4jUser     string
	Neo4jPassword string
	Neo4jDatabase string

	DataDir        string
	CacheDir       string
	BundledBolt    string
	BundledHeap    string
	BundledPageMiB int64
	// BundledJVMOptions are added to the bundled Neo4j's JVM command line.
	BundledJVMOptions []string

	Addr string
	// MetricsAddr, when set, is the only address that serves /metrics.
	MetricsAddr string
	// CORSOrigins are the origins (scheme://host[:port]) whose pages may
	// call the API from a browser; none by default.
	CORSOrigins []string
	// APIKeys is EXPORTWATCH_API_KEYS as written; package api parses it.
	APIKeys       string
	AnonymousRead bool
	Introspection bool
	// Limits on each API request.
	MaxDepth       int64
	MaxComplexity  int64
	MaxAliases     int64
	MaxBodyBytes   int64
	MaxPage        int64
	RequestTimeout time.Duration
	ReadTimeout    time.Duration
	RatePerSecond  float64
	RateBurst      int64
	// ResponseCacheBytes bounds the API's cache of read answers
	// (EXPORTWATCH_RESPONSE_CACHE_BYTES); 0 turns it off.
	ResponseCacheBytes int64
	// ChangesRetention is how long the changes feed keeps a change
	// (EXPORTWATCH_CHANGES_RETENTION); 0 keeps every change.
	ChangesRetention time.Duration

	LogLevel  slog.Level
	BatchSize int
	Neo4jWait time.Duration

	// Contact is the address scrapers give in their User-Agent.
	Contact string
	// EvidenceArchive receives the WARC files of the pages editors cite;
	// FetchAllow is EXPORTWATCH_FETCH_ALLOW as written (addresses inside
	// the server's networks that those fetches may still reach).
	EvidenceArchive string
	FetchAllow      string
	// CompaniesHouseKey is the UK Companies House API key (HTTP Basic
	// user name); a secret, never logged or archived.
	CompaniesHouseKey string
}

// Load reads .env (when present in the working directory) and the
// environment. A malformed .env or value is an error, not a silent default.
func Load() (Config, error) {
	if err := godotenv.Load(); err != nil && !os.IsNotExist(err) {
		return Config{}, fmt.Errorf("read .env: %w", err)
	}
	return FromEnv(os.Getenv)
}

// Defaults is every setting at its default, as if nothing were set.
func Defaults() Config {
	c, err := FromEnv(func(string) string { return "" })
	if err != nil {
		// The defaults are constants in this file; the package's tests
		// load them.
		panic(err)
	}
	return c
}

// FromEnv resolves the settings from a lookup function, so tests need not
// touch the process environment.
func FromEnv(get func(string) string) (Config, error) {
	str := func(key, def string) string {
		if v := strings.TrimSpace(get(key)); v != "" {
			return v
		}
		return def
	}
	cacheDefault := ".cache"
	if d, err := os.UserCacheDir(); err == nil {
		cacheDefault = filepath.Join(d, "exportwatch")
	}
	c := Config{
		Neo4jURI:          str("NEO4J_URI", ""),
		Neo4jUser:         str("NEO4J_USER", "neo4j"),
		Neo4jPassword:     get("NEO4J_PASSWORD"),
		Neo4jDatabase:     str("NEO4J_DATABASE", "neo4j"),
		DataDir:           str("EXPORTWATCH_DATA_DIR", "./data"),
		CacheDir:          str("EXPORTWATCH_CACHE_DIR", cacheDefault),
		BundledBolt:       str("EXPORTWATCH_NEO4J_BOLT_ADDR", "127.0.0.1:7687"),
		BundledHeap:       str("EXPORTWATCH_NEO4J_HEAP", "1g"),
		Addr:              str("EXPORTWATCH_ADDR", "127.0.0.1:8080"),
		Contact:           get("EXPORTWATCH_CONTACT"),
		EvidenceArchive:   str("EXPORTWATCH_EVIDENCE_ARCHIVE", "./archive/editors"),
		FetchAllow:        get("EXPORTWATCH_FETCH_ALLOW"),
		CompaniesHouseKey: get("EXPORTWATCH_COMPANIES_HOUSE_KEY"),
	}
	c.BundledJVMOptions = strings.Fields(get("EXPORTWATCH_NEO4J_JVM_OPTIONS"))
	var err error
	if c.MetricsAddr, err = metricsAddr(str("EXPORTWATCH_METRICS_ADDR", "")); err != nil {
		return Config{}, err
	}
	if c.CORSOrigins, err = corsOrigins(get("EXPORTWATCH_CORS_ORIGINS")); err != nil {
		return Config{}, err
	}
	c.APIKeys = get("EXPORTWATCH_API_KEYS")
	if c.AnonymousRead, err = boolSetting(get, "EXPORTWATCH_ANONYMOUS_READ", true); err != nil {
		return Config{}, err
	}
	if c.Introspection, err = boolSetting(get, "EXPORTWATCH_INTROSPECTION", true); err != nil {
		return Config{}, err
	}
	if c.BundledPageMiB, err = intSetting(get, "EXPORTWATCH_NEO4J_PAGECACHE_MB", 512); err != nil {
		return Config{}, err
	}
	for _, l := range []struct {
		key string
		dst *int64
		def int64
	}{
		{"EXPORTWATCH_MAX_DEPTH", &c.MaxDepth, 10},
		{"EXPORTWATCH_MAX_COMPLEXITY", &c.MaxComplexity, 20000},
		{"EXPORTWATCH_MAX_ALIASES", &c.MaxAliases, 20},
		{"EXPORTWATCH_MAX_BODY_BYTES", &c.MaxBodyBytes, 1 << 20},
		{"EXPORTWATCH_MAX_PAGE", &c.MaxPage, 100},
		{"EXPORTWATCH_RATE_BURST", &c.RateBurst, 40},
	} {
		if *l.dst, err = intSetting(get, l.key, l.def); err != nil {
			return Config{}, err
		}
		if *l.dst < 1 {
			return Config{}, fmt.Errorf("%s=%d: must be at least 1", l.key, *l.dst)
		}
	}
	if c.ResponseCacheBytes, err = intSetting(get, "EXPORTWATCH_RESPONSE_CACHE_BYTES", 64<<20); err != nil {
		return Config{}, err
	}
	if c.ResponseCacheBytes < 0 {
		return Config{}, fmt.Errorf("EXPORTWATCH_RESPONSE_CACHE_BYTES=%d: want a size in bytes, or 0 to turn the cache off", c.ResponseCacheBytes)
	}
	if c.RequestTimeout, err = time.ParseDuration(str("EXPORTWATCH_REQUEST_TIMEOUT", "15s")); err != nil {
		return Config{}, fmt.Errorf("EXPORTWATCH_REQUEST_TIMEOUT: %w", err)
	}
	if c.ReadTimeout, err = time.ParseDuration(str("EXPORTWATCH_READ_TIMEOUT", "20s")); err != nil || c.ReadTimeout <= 0 {
		return Config{}, fmt.Errorf("EXPORTWATCH_READ_TIMEOUT=%q: want a positive duration such as 20s", get("EXPORTWATCH_READ_TIMEOUT"))
	}
	if c.ChangesRetention, err = time.ParseDuration(str("EXPORTWATCH_CHANGES_RETENTION", "2160h")); err != nil || c.ChangesRetention < 0 {
		return Config{}, fmt.Errorf("EXPORTWATCH_CHANGES_RETENTION=%q: want a duration such as 2160h (90 days), or 0 to keep every change", get("EXPORTWATCH_CHANGES_RETENTION"))
	}
	if c.RatePerSecond, err = strconv.ParseFloat(str("EXPORTWATCH_RATE_LIMIT", "20"), 64); err != nil || c.RatePerSecond < 0 {
		return Config{}, fmt.Errorf("EXPORTWATCH_RATE_LIMIT=%q: want requests per second (0 turns it off)", get("EXPORTWATCH_RATE_LIMIT"))
	}
	batch, err := intSetting(get, "EXPORTWATCH_BATCH_SIZE", 1000)
	if err != nil {
		return Config{}, err
	}
	if batch < 1 || batch > 100000 {
		return Config{}, fmt.Errorf("EXPORTWATCH_BATCH_SIZE=%d: want 1 to 100000", batch)
	}
	c.BatchSize = int(batch)
	if c.Neo4jWait, err = time.ParseDuration(str("EXPORTWATCH_NEO4J_TIMEOUT", "10s")); err != nil {
		return Config{}, fmt.Errorf("EXPORTWATCH_NEO4J_TIMEOUT: %w", err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(str("EXPORTWATCH_LOG_LEVEL", "info"))); err != nil {
		return Config{}, fmt.Errorf("EXPORTWATCH_LOG_LEVEL: %w", err)
	}
	return c, nil
}

func intSetting(get func(string) string, key string, def int64) (int64, error) {
	v := strings.TrimSpace(get(key))
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not a whole number", key, v)
	}
	return n, nil
}

func boolSetting(get func(string) string, key string, def bool) (bool, error) {
	v := strings.TrimSpace(get(key))
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want true or false", key, v)
	}
	return b, nil
}

// metricsAddr checks EXPORTWATCH_METRICS_ADDR: empty, or a host:port to
// listen on.
func metricsAddr(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		return "", fmt.Errorf("EXPORTWATCH_METRICS_ADDR=%q: want an address to listen on, such as 127.0.0.1:9090", v)
	}
	return v, nil
}

// corsOrigins reads EXPORTWATCH_CORS_ORIGINS: comma-separated origins,
// each exactly as a browser sends it in the Origin header, since they are
// compared with it byte for byte.
func corsOrigins(v string) ([]string, error) {
	var origins []string
	for o := range strings.SplitSeq(v, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if err := checkOrigin(o); err != nil {
			return nil, fmt.Errorf("EXPORTWATCH_CORS_ORIGINS: %q: %w", o, err)
		}
		origins = append(origins, o)
	}
	return origins, nil
}

func checkOrigin(o string) error {
	switch o {
	case "*":
		// The server may sit inside a network whose graph is not public:
		// with *, any site its users visit could read it through their
		// browsers.
		return errors.New("* would let every web site's pages read the API through their visitors' browsers, " +
			"including a server only reachable inside your network; list the origins that need it")
	case "null":
		return errors.New("null is the origin of sandboxed frames and local files, which any site can make; list real origins")
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return errors.New("want an origin, scheme://host[:port], such as https://example.org")
	}
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(o, "#") {
		return fmt.Errorf("an origin has no user, path, query or fragment: write %s://%s", u.Scheme, u.Host)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q is not a port number", port)
		}
		if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
			return fmt.Errorf("browsers leave the default port out of an origin: write %s://%s", u.Scheme, strings.TrimSuffix(u.Host, ":"+port))
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("an empty port: write %s://%s", u.Scheme, strings.TrimSuffix(u.Host, ":"))
	}
	for _, r := range u.Host {
		if r > unicode.MaxASCII {
			return errors.New("browsers send a domain name in ASCII: write its punycode form (xn--…)")
		}
	}
	if want := strings.ToLower(o); o != want {
		return fmt.Errorf("browsers send an origin in lower case: write %s", want)
	}
	return nil
}
