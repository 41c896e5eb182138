// Package e2e drives the web app in a real browser: Playwright's tests
// (the *.spec.ts files here) in Debian's chromium, against exportwatch's
// own server on a real Neo4j that holds the seed and a record file of
// hostile text (testdata/hostile.jsonl).
package e2e
