// Package roundtrip tests every source end to end against one real Neo4j:
// scrape the source's mirror (package scrapertest) through its
// registration, as `exportwatch scrape` does, load the records, and check
// what the graph then holds; then load and scrape again and find nothing
// changed. It holds tests only. The sources' own packages test parsing and
// faults without a database, so only this package pays for a JVM.
package roundtrip
