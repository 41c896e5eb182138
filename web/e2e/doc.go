// Package e2e drives the web app in a real browser: Playwright's tests
// (the *.spec.ts files here) in Debian's chromium, against exportwatch's
// own server on a real Neo4j that holds the seed, a record file of hostile
// text (testdata/hostile.jsonl) and one of a vendor that sold while it was
// on a list (testdata/listed.jsonl, invented names), and one that leaves
// a judgement and a suggestion for the editors' queues
// (testdata/queues.jsonl).
package e2e
