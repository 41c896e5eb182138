package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/extract"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/edgar"
	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/ocds"
	"github.com/exportwatch/exportwatch/scrapers/report"
	"github.com/exportwatch/exportwatch/scrapers/screening"
	"github.com/exportwatch/exportwatch/scrapers/ted"
	"github.com/exportwatch/exportwatch/scrapers/usaspending"
)

// exitProblems: the run finished, but some pages or awards could not be
// used; they are listed on stderr.
const exitProblems = 3

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

const scrapeUsage = `exportwatch scrape SOURCE [source flags] --out FILE.jsonl [--archive DIR] [--base-url URL]

Sources:
  ocds --url URL|FILE [--url URL|FILE …]             OCDS release or record packages, following links.next
  ted [--notice NUMBER …] [--url URL …] [--query Q …]
                                                     EU contract-award notices (TED XML: legacy R2.0.9 and eForms;
                                                     --query is an expert query for the TED search API)
  usaspending [--keyword K …] [--recipient R …] [--award ID …]
                                                     U.S. federal contracts from the USAspending.gov API v2
  gleif [--lei LEI …] [--name NAME …] [--children]   legal entities and their parents (GLEIF API), walking up
                                                     to the ultimate parent; --name searches legal names
  companieshouse --company NUMBER [--company …]       UK companies with officers and persons with significant
                                                     control (needs EXPORTWATCH_COMPANIES_HOUSE_KEY)
  edgar --cik N [--cik …] [--reports N]              SEC registrants: identity, former names (RENAMED_TO), subsidiaries
                                                     from the annual reports' exhibits, government-customer passages
  report [--url URL …] [--feed URL …]                NGO and news report pages (HTML, PDF; RSS and Atom feeds give more):
                                                     reported claims from their sentences, each quoting its sentence
  screening [--csl URL …] [--sdn URL …]              U.S. screening lists: the Consolidated Screening List (.csv, .json)
                                                     and OFAC's SDN list (sdn.csv with alt.csv and add.csv, or .xml);
                                                     without URLs, the real CSL and SDN downloads
`

func cmdScrape(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("name a source\n\n%s", scrapeUsage)
	}
	source := args[0]
	fs := flag.NewFlagSet("scrape "+source, flag.ContinueOnError)
	out := fs.String("out", "", "record file to append to (a run started again with the same file continues)")
	archive := fs.String("archive", "archive", "directory for the run's WARC files")
	base := fs.String("base-url", "", "fetch from this scheme and host instead of the source's (a mirror or a test server), keeping the paths")
	all := fs.Bool("all", false, "keep every award, not only those the relevance filter picks")
	var matchVendors, matchKeywords, matchCodes repeated
	fs.Var(&matchVendors, "match-vendor", "add a vendor name to the relevance filter (repeatable)")
	fs.Var(&matchKeywords, "match-keyword", "add a keyword to the relevance filter (repeatable)")
	fs.Var(&matchCodes, "match-code", "add a classification code prefix (CPV, PSC, NAICS) to the relevance filter (repeatable)")
	rate := fs.Float64("rate", 1, "requests per second to one host")
	var urls, keywords, recipients, awards, notices, queries, leis, names, companies, csl, sdn, ciks, feeds repeated
	var children *bool
	var reports *int
	var gazetteer *string
	switch source {
	case "ocds":
		fs.Var(&urls, "url", "a release or record package URL (repeatable)")
	case "ted":
		fs.Var(&notices, "notice", "a notice's publication number, e.g. 301234-2019 (repeatable)")
		fs.Var(&urls, "url", "a notice's XML URL (repeatable)")
		fs.Var(&queries, "query", "an expert query for the TED search API (repeatable)")
	case "usaspending":
		fs.Var(&keywords, "keyword", "search awards for this keyword (repeatable)")
		fs.Var(&recipients, "recipient", "search awards to this recipient (repeatable)")
		fs.Var(&awards, "award", "read this award (generated_unique_award_id, repeatable)")
	case "gleif":
		fs.Var(&leis, "lei", "read this LEI and its chain of parents (repeatable)")
		fs.Var(&names, "name", "search legal names for this and read what is found (repeatable)")
		children = fs.Bool("children", false, "also read the direct children of each company asked for")
	case "companieshouse":
		fs.Var(&companies, "company", "a company number, e.g. 01234567 or SC123456 (repeatable)")
	case "edgar":
		fs.Var(&ciks, "cik", "a registrant's Central Index Key (repeatable)")
		reports = fs.Int("reports", 1, "how many of the latest annual reports (10-K, 20-F) to read")
	case "report":
		fs.Var(&urls, "url", "a report page, HTML or PDF (repeatable)")
		fs.Var(&feeds, "feed", "an RSS or Atom feed whose items are report pages (repeatable)")
		gazetteer = fs.String("gazetteer", "", "nodes.csv of an export (export --format csv): the graph's names join the seed's")
	case "screening":
		fs.Var(&csl, "csl", "a Consolidated Screening List file URL, .csv or .json (repeatable; default "+screening.CSLURL+")")
		fs.Var(&sdn, "sdn", "an OFAC SDN list URL, sdn.csv or .xml (repeatable; default "+screening.SDNURL+")")
	default:
		return fmt.Errorf("unknown source %q\n\n%s", source, scrapeUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE.jsonl is required")
	}
	switch {
	case source == "ocds" && len(urls) == 0:
		return errors.New("give at least one --url")
	case source == "ted" && len(urls)+len(notices)+len(queries) == 0:
		return errors.New("give a --notice, a --url or a --query")
	case source == "usaspending" && len(keywords)+len(recipients)+len(awards) == 0:
		return errors.New("give a --keyword, a --recipient or an --award")
	case source == "gleif" && len(leis)+len(names) == 0:
		return errors.New("give an --lei or a --name")
	case source == "report" && len(urls)+len(feeds) == 0:
		return errors.New("give a --url or a --feed")
	case source == "edgar" && len(ciks) == 0:
		return errors.New("give a --cik")
	case source == "companieshouse" && len(companies) == 0:
		return errors.New("give a --company")
	case source == "companieshouse" && cfg.CompaniesHouseKey == "":
		return companieshouse.ErrNoKey
	}
	for i, u := range urls {
		if source == "ocds" && !strings.Contains(u, "://") {
			continue // a local file
		}
		rebased, err := rebase(u, *base)
		if err != nil {
			return err
		}
		urls[i] = rebased
	}
	if *base != "" {
		if _, err := rebase(*base, ""); err != nil {
			return fmt.Errorf("--base-url: %w", err)
		}
	}

	filter, err := scrapers.DefaultFilter()
	if err != nil {
		return err
	}
	filter.All = *all
	for _, v := range matchVendors {
		filter.Vendors = append(filter.Vendors, strings.ToLower(v))
	}
	for _, k := range matchKeywords {
		filter.Keywords = append(filter.Keywords, strings.ToLower(k))
	}
	filter.Codes = append(filter.Codes, matchCodes...)
	ccfg := scrapers.Defaults()
	ccfg.Source, ccfg.Contact, ccfg.Version, ccfg.RatePerHost = source, cfg.Contact, version, *rate
	ccfg.ArchiveDir, ccfg.Validators, ccfg.Log = *archive, *out+".validators.json", slog.Default()
	c, err := scrapers.New(ccfg)
	if err != nil {
		return err
	}
	o, err := scrapers.OpenOutput(*out)
	if err != nil {
		c.Close()
		return err
	}
	var summary string
	var problems []string
	var runErr error
	prog := scrapers.StartProgress(os.Stderr, c, o, slog.Default(), 10*time.Second)
	switch source {
	case "ocds":
		var sum ocds.Summary
		sum, runErr = ocds.Run(ctx, c, o, ocds.Options{URLs: urls, Filter: filter, Log: slog.Default()})
		summary = fmt.Sprintf("%d pages, %d claims, %d awards skipped by the filter", sum.Pages, sum.Claims, sum.Skipped)
		problems = sum.Problems
	case "ted":
		var sum ted.Summary
		sum, runErr = ted.Run(ctx, c, o, ted.Options{BaseURL: *base, Notices: notices, URLs: urls, Queries: queries,
			Filter: filter, Log: slog.Default()})
		summary = fmt.Sprintf("%d search pages, %d award notices, %d other notices, %d claims, %d awards skipped by the filter",
			sum.SearchPages, sum.Notices, sum.NotAwards, sum.Claims, sum.Skipped)
		problems = sum.Problems
	case "usaspending":
		var sum usaspending.Summary
		sum, runErr = usaspending.Run(ctx, c, o, usaspending.Options{BaseURL: *base, Keywords: keywords, Recipients: recipients,
			Awards: awards, Filter: filter, Log: slog.Default()})
		summary = fmt.Sprintf("%d search pages, %d awards read, %d claims, %d awards skipped by the filter",
			sum.SearchPages, sum.Awards, sum.Claims, sum.Skipped)
		problems = sum.Problems
	case "gleif":
		var sum gleif.Summary
		sum, runErr = gleif.Run(ctx, c, o, gleif.Options{BaseURL: *base, LEIs: leis, Names: names, Children: *children, Log: slog.Default()})
		summary = fmt.Sprintf("%d LEI records, %d parent relationships, %d reporting exceptions, %d claims",
			sum.Records, sum.Relationships, sum.Exceptions, sum.Claims)
		problems = sum.Problems
	case "companieshouse":
		var sum companieshouse.Summary
		sum, runErr = companieshouse.Run(ctx, c, o, companieshouse.Options{BaseURL: *base, APIKey: cfg.CompaniesHouseKey,
			Companies: companies, Log: slog.Default()})
		summary = fmt.Sprintf("%d companies, %d officers, %d persons with significant control, %d skipped, %d claims",
			sum.Companies, sum.Officers, sum.PSCs, sum.Skipped, sum.Claims)
		problems = sum.Problems
	case "edgar":
		var sum edgar.Summary
		sum, runErr = edgar.Run(ctx, c, o, edgar.Options{BaseURL: *base, CIKs: ciks, Reports: *reports, Log: slog.Default()})
		summary = fmt.Sprintf("%d registrants, %d annual reports, %d subsidiaries exhibits, %d government-customer passages, %d claims",
			sum.Companies, sum.Reports, sum.Exhibits, sum.Passages, sum.Claims)
		problems = sum.Problems
	case "report":
		var sum report.Summary
		var g *extract.Gazetteer
		if g, runErr = reportGazetteer(*gazetteer); runErr == nil {
			sum, runErr = report.Run(ctx, c, o, report.Options{BaseURL: *base, URLs: urls, Feeds: feeds, Gazetteer: g, Log: slog.Default()})
		}
		summary = fmt.Sprintf("%d feeds, %d pages (%d PDFs), %d text blocks, %d sentences, %d claims of which %d incidents (%d left out: a name fits several entities)",
			sum.Feeds, sum.Pages, sum.PDFs, sum.Blocks, sum.Sentences, sum.Claims, sum.Incidents, sum.Ambiguous)
		problems = sum.Problems
	case "screening":
		var sum screening.Summary
		sum, runErr = screening.Run(ctx, c, o, screening.Options{BaseURL: *base, CSL: csl, SDN: sdn, Log: slog.Default()})
		var skipped []string
		for why, n := range sum.Skipped {
			skipped = append(skipped, fmt.Sprintf("%d %s", n, why))
		}
		summary = fmt.Sprintf("%d list files, %d listings, %d claims; skipped: %s", sum.Files, sum.Listings, sum.Claims, strings.Join(skipped, ", "))
		problems = sum.Problems
	}
	prog.Stop()
	if err := o.Close(); runErr == nil {
		runErr = err
	}
	if err := c.Close(); runErr == nil {
		runErr = err
	}
	st := c.Stats()
	fmt.Printf("%s: %s; %d records written, %d already in %s; %d requests, %d retries, %d failed, %d bytes archived in %s\n",
		source, summary, o.Written(), o.Skipped(), *out, st.Requests, st.Retries, st.Failed, st.Bytes, *archive)
	if runErr != nil {
		return runErr
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		return &exitError{code: exitProblems, err: fmt.Errorf("%d problems (listed above); the rest was written", len(problems))}
	}
	return nil
}

// reportGazetteer is the seed's names, with those of an export's
// nodes.csv when one is given.
func reportGazetteer(nodesCSV string) (*extract.Gazetteer, error) {
	entries, err := extract.SeedEntries()
	if err != nil || nodesCSV == "" {
		return extract.NewGazetteer(entries), err
	}
	f, err := os.Open(nodesCSV)
	if err != nil {
		return nil, fmt.Errorf("--gazetteer: %w", err)
	}
	defer f.Close()
	if entries, err = extract.ReadNodesCSV(f, entries); err != nil {
		return nil, fmt.Errorf("--gazetteer %s: %w", nodesCSV, err)
	}
	return extract.NewGazetteer(entries), nil
}

// rebase points a URL at base's scheme and host, keeping its path and
// query; with no base it checks the URL only.
func rebase(raw, base string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if base == "" {
		return raw, nil
	}
	b, err := url.Parse(base)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" {
		return "", fmt.Errorf("--base-url %q is not an http(s) URL", base)
	}
	u.Scheme, u.Host = b.Scheme, b.Host
	return u.String(), nil
}
