package report

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/exportwatch/exportwatch/extract"
	"github.com/exportwatch/exportwatch/nlp"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers report with the scrape command.
var Source = scrapers.Registration{
	Name:      "report",
	Usage:     "[--url URL …] [--feed URL …]",
	Reads:     "NGO and news report pages (HTML, PDF; RSS and Atom feeds give more): reported claims from their sentences, each quoting its sentence",
	RowFlags:  "`--url URL`, `--feed URL` (each repeatable), `--gazetteer nodes.csv` (an export's, so the graph's names join the seed's), `--nlp` (add the relations spaCy's parses give; `make nlpdeps`)",
	RowClaims: "NGO and news report pages (HTML in any charset, or PDF read in pure Go; a scan without text is said to be one) and the items of RSS and Atom feeds: the main text (no navigation, share bars, related links or footers) split into sentences; each sentence's supply, ownership, acquisition and rename claims, and shutdowns, throttling and blocking as an `Incident` that `OCCURRED_IN` the country named, with its dates (\"from 27 September until 12 November 2020\", \"a 46-day shutdown\", \"late March 2011\", a date without its year in the page's year) and who was `INVOLVED_IN` it (the body that ordered it, the operator that carried it out, the vendor or product whose equipment did it, as the claim's role; a later sentence that names no country is of the page's last incident or of the country the page is about, and a sentence telling how an incident ended, as \"mobile data returned on 18 November\", dates its end; one event named many ways is one incident), all `reported`, quoting the sentence at its paragraph, with a confidence and its reasons (hedges lower it; a denial is a denial). Entities come from the seed's gazetteer (names, aliases, countries, demonyms), the industry list (`extract/industry.tsv`: about 165 surveillance vendors, owners and products as public reporting names them, so a page's vendor is found before the graph has it; a name that is also a word or a surname, such as \"Circles\" or \"Harris\", counts only capitalised, not first in a sentence and not inside a longer name; a product there names its maker), organisations with a legal form, public bodies by their form (\"the State Security Service\", \"the Ministry of … and …\") and companies by what they are called (\"the Israeli surveillance firm X\"); a name that fits several entities makes no claim. Publishers, researchers, platforms and people are never parties. With `--nlp`, spaCy parses the sentences that may state a claim and the relations their grammar gives join the patterns': sellers and buyers by their grammatical roles, passives, intermediaries, customers named in lists (also in a list that follows a paragraph ending in a colon), contracts, a state by its demonym, pronouns and a bare \"the software\" across sentences, ownership in appositions and by \"owned by\", \"took control of\", \"absorbed into\". A sale said to be intended or ended (\"preparing to buy\", \"would stop selling\"), or not known to have happened, is at most a suggestion, and a name given as the source (\"according to an analysis by …\") is no party. A claim read with too little confidence (a guess such as \"may have sold\", a thing that may be its maker's product) is written as a suggestion for an editor, not a claim. Precision comes first; the figures per round, held out and not, are in docs/benchmarks.md (`make eval`)",
	New:       func() scrapers.Source { return &source{} },
}

type source struct {
	urls, feeds scrapers.Repeated
	gazetteer   string
	nlp         bool
	// g is the gazetteer Check read, so a bad --gazetteer fails before
	// any file is opened.
	g *extract.Gazetteer
}

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.urls, "url", "a report page, HTML or PDF (repeatable)")
	fs.Var(&s.feeds, "feed", "an RSS or Atom feed whose items are report pages (repeatable)")
	fs.StringVar(&s.gazetteer, "gazetteer", "", "nodes.csv of an export (export --format csv): the graph's names join the seed's")
	fs.BoolVar(&s.nlp, "nlp", false, "add the relations spaCy's dependency parses give to the patterns' (its packages: make nlpdeps; EXPORTWATCH_NLP_PATH says where)")
}

func (s *source) Check(*scrapers.Env) error {
	if len(s.urls)+len(s.feeds) == 0 {
		return errors.New("give a --url or a --feed")
	}
	if err := scrapers.CheckURLs(s.urls); err != nil {
		return err
	}
	if err := scrapers.CheckURLs(s.feeds); err != nil {
		return err
	}
	var err error
	s.g, err = gazetteer(s.gazetteer)
	return err
}

// Run reads the pages; Run (the package's) points every URL, the feeds'
// links too, at the mirror.
func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	opt := Options{URLs: s.urls, Feeds: s.feeds, Gazetteer: s.g}
	if s.nlp {
		w, err := nlp.Start(ctx, nlp.OptionsFromEnv())
		if err != nil {
			return "", fmt.Errorf("--nlp: %w", err)
		}
		defer w.Close()
		opt.Parser = w
	}
	sum, err := Run(ctx, env, opt)
	return fmt.Sprintf("%d feeds, %d pages (%d PDFs), %d text blocks, %d sentences, %d claims of which %d incidents, %d suggestions for an editor (%d left out: a name fits several entities)",
		sum.Feeds, sum.Pages, sum.PDFs, sum.Blocks, sum.Sentences, sum.Claims, sum.Incidents, sum.Suggestions, sum.Ambiguous), err
}

// gazetteer is the seed's names, with those of an export's nodes.csv when
// one is given.
func gazetteer(nodesCSV string) (*extract.Gazetteer, error) {
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
