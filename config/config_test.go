package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultsLoad(t *testing.T) {
	if c := Defaults(); c.MaxPage != 100 || c.RatePerSecond != 20 || !c.AnonymousRead {
		t.Fatalf("Defaults() = %+v", c)
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want func(Config) bool
		err  string
	}{
		{name: "defaults", env: nil, want: func(c Config) bool {
			return c.Neo4jURI == "" && c.Neo4jUser == "neo4j" && c.Neo4jDatabase == "neo4j" && c.DataDir == "./data" &&
				c.BundledBolt == "127.0.0.1:7687" && c.Addr == "127.0.0.1:8080" && c.BatchSize == 1000 &&
				c.Neo4jWait == 10*time.Second && c.LogLevel == slog.LevelInfo && c.BundledPageMiB == 512 && c.CacheDir != ""
		}},
		{name: "overrides", env: map[string]string{"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "EXPORTWATCH_BATCH_SIZE": "250",
			"EXPORTWATCH_LOG_LEVEL": "debug", "EXPORTWATCH_NEO4J_TIMEOUT": "3s", "EXPORTWATCH_CACHE_DIR": "/c"},
			want: func(c Config) bool {
				return c.Neo4jURI == "neo4j+s://x.databases.neo4j.io" && c.BatchSize == 250 && c.LogLevel == slog.LevelDebug &&
					c.Neo4jWait == 3*time.Second && c.CacheDir == "/c"
			}},
		{name: "blank means default", env: map[string]string{"EXPORTWATCH_ADDR": "  "}, want: func(c Config) bool { return c.Addr == "127.0.0.1:8080" }},
		{name: "bad batch", env: map[string]string{"EXPORTWATCH_BATCH_SIZE": "many"}, err: "EXPORTWATCH_BATCH_SIZE"},
		{name: "batch out of range", env: map[string]string{"EXPORTWATCH_BATCH_SIZE": "0"}, err: "want 1 to 100000"},
		{name: "bad timeout", env: map[string]string{"EXPORTWATCH_NEO4J_TIMEOUT": "soon"}, err: "EXPORTWATCH_NEO4J_TIMEOUT"},
		{name: "bad level", env: map[string]string{"EXPORTWATCH_LOG_LEVEL": "loud"}, err: "EXPORTWATCH_LOG_LEVEL"},
		{name: "api limits", env: map[string]string{"EXPORTWATCH_MAX_DEPTH": "5", "EXPORTWATCH_RATE_LIMIT": "0", "EXPORTWATCH_ANONYMOUS_READ": "false"},
			want: func(c Config) bool {
				return c.MaxDepth == 5 && c.RatePerSecond == 0 && !c.AnonymousRead && c.Introspection && c.MaxComplexity == 20000
			}},
		{name: "zero depth", env: map[string]string{"EXPORTWATCH_MAX_DEPTH": "0"}, err: "at least 1"},
		{name: "bad rate", env: map[string]string{"EXPORTWATCH_RATE_LIMIT": "-1"}, err: "EXPORTWATCH_RATE_LIMIT"},
		{name: "changes kept 90 days by default", want: func(c Config) bool { return c.ChangesRetention == 90*24*time.Hour }},
		{name: "changes kept for ever", env: map[string]string{"EXPORTWATCH_CHANGES_RETENTION": "0"}, want: func(c Config) bool { return c.ChangesRetention == 0 }},
		{name: "bad retention", env: map[string]string{"EXPORTWATCH_CHANGES_RETENTION": "a month"}, err: "EXPORTWATCH_CHANGES_RETENTION"},
		{name: "bad bool", env: map[string]string{"EXPORTWATCH_INTROSPECTION": "sometimes"}, err: "want true or false"},
		{name: "no metrics address by default", want: func(c Config) bool { return c.MetricsAddr == "" }},
		{name: "metrics address", env: map[string]string{"EXPORTWATCH_METRICS_ADDR": " 127.0.0.1:9090 "},
			want: func(c Config) bool { return c.MetricsAddr == "127.0.0.1:9090" }},
		{name: "metrics address without a port", env: map[string]string{"EXPORTWATCH_METRICS_ADDR": "127.0.0.1"}, err: "EXPORTWATCH_METRICS_ADDR"},
		{name: "no CORS origins by default", want: func(c Config) bool { return c.CORSOrigins == nil }},
		{name: "CORS origins", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://example.org, http://127.0.0.1:3000,,https://[::1]:8443"},
			want: func(c Config) bool {
				return cmp.Equal(c.CORSOrigins, []string{"https://example.org", "http://127.0.0.1:3000", "https://[::1]:8443"})
			}},
		{name: "CORS wildcard", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://example.org,*"}, err: "every web site's pages"},
		{name: "CORS null", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "null"}, err: "sandboxed frames"},
		{name: "CORS without a scheme", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "example.org"}, err: "want an origin"},
		{name: "CORS other scheme", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "ftp://example.org"}, err: "want an origin"},
		{name: "CORS with a path", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://example.org/"}, err: "write https://example.org"},
		{name: "CORS with a query", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://example.org?x=1"}, err: "no user, path, query"},
		{name: "CORS with a user", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://me@example.org"}, err: "no user, path, query"},
		{name: "CORS default port", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://example.org:443"}, err: "write https://example.org"},
		{name: "CORS bad port", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://example.org:99999"}, err: "not a port number"},
		{name: "CORS upper case", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://Example.org"}, err: "write https://example.org"},
		{name: "CORS unicode domain", env: map[string]string{"EXPORTWATCH_CORS_ORIGINS": "https://bücher.de"}, err: "punycode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromEnv(func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !tt.want(c) {
				t.Fatalf("FromEnv = %+v, %v", c, err)
			}
		})
	}
}
