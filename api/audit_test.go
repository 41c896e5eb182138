package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// auditResult is one of graphql-http's audit results, as
// testdata/graphql-http-audit.mjs prints it.
type auditResult struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"` // ok, or notice (MAY), warn (SHOULD), error (MUST), fatal
	Reason      string `json:"reason"`
	HTTPStatus  int    `json:"httpStatus"`
	ContentType string `json:"contentType"`
	Body        string `json:"body"`
}

// TestGraphQLOverHTTPAudit runs graphql-http's server audits, the
// reference suite of the GraphQL-over-HTTP specification, against the API
// on loopback, and fails on every audit that is not ok: MUST, SHOULD and
// MAY alike, so a change that gives up on any of them is noticed. The
// suite is an npm package (web/package.json pins it), run by node.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: run `make web` (the audit is the npm package graphql-http, run by node; make deps-test installs npm)")
	}
	web, err := filepath.Abs(filepath.Join("..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(web, "node_modules", "graphql-http", "package.json")); err != nil {
		t.Fatalf("graphql-http is not in web/node_modules: run `make web` (%v)", err)
	}

	opt := api.Defaults()
	// The audit sends about sixty requests back to back; the limiter stays
	// in the chain, with a burst that lets them all through.
	opt.Limits.RateBurst = 1000
	ts := httptest.NewServer(api.Handler(graphtest.Store(t), opt))
	defer ts.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "graphql-http-audit.mjs"), ts.URL+"/graphql", web)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("the audit script failed: %v\n%s", err, stderr.String())
		}
		t.Fatalf("run node: %v", err)
	}
	var results []auditResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("the audit's output is not its results: %v\n%s", err, stdout.String())
	}
	// graphql-http 1.23 has 61 audits; far fewer means the script ran
	// something else.
	if len(results) < 50 {
		t.Fatalf("only %d audits ran: %+v", len(results), results)
	}
	failed := 0
	for _, r := range results {
		if r.Status == "ok" {
			continue
		}
		failed++
		t.Errorf("%s (%s): %s: %s\n\tanswer: %d %s %s", r.Name, r.ID, r.Status, r.Reason, r.HTTPStatus, r.ContentType, r.Body)
	}
	t.Logf("%d audits, %d not ok", len(results), failed)
}
