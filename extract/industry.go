package extract

import (
	"bufio"
	_ "embed"
	"slices"
	"strings"
	"sync"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// industry.tsv names the surveillance industry's companies and products
// as public reporting does. Most vendors a report names are in no graph
// yet, and a parser's entity recogniser misses or mistypes them ("Circles"
// is read as a place): the list is what lets a page's vendor be read as
// one before an editor has added it.
//
//go:embed industry.tsv
var industryTSV string

// listed is one name of the industry list: its entry (no graph id), and
// whether the name is also an English word or a surname, which counts only
// where it can be nothing else.
type listed struct {
	name   string
	entry  Entry
	common bool
}

// industry reads the list once. Makers are named by the list's own
// company names; NewGazetteer binds them to the graph's entities where it
// knows them.
var industry = sync.OnceValue(func() []listed {
	var out []listed
	sc := bufio.NewScanner(strings.NewReader(industryTSV))
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		for len(f) < 5 {
			f = append(f, "")
		}
		schema := records.SchemaCompany
		if f[0] == "P" {
			schema = "Product"
		}
		canonical := strings.TrimPrefix(f[1], "*")
		e := Entry{Schema: schema, Name: canonical}
		for _, m := range strings.Split(f[4], ";") {
			if m = strings.TrimSpace(m); m != "" {
				e.Makers = append(e.Makers, Entry{Schema: records.SchemaCompany, Name: m})
			}
		}
		names := []string{f[1]}
		if f[2] != "" {
			names = append(names, strings.Split(f[2], ";")...)
		}
		for _, n := range names {
			out = append(out, listed{name: strings.TrimPrefix(n, "*"), entry: e, common: strings.HasPrefix(n, "*")})
		}
	}
	return out
})

// addIndustry indexes the industry list's names that no given entry
// bears: the graph's own entity wins a name both know.
func (g *Gazetteer) addIndustry() {
	taken := func(key string) bool { return len(g.names[key]) > 0 }
	var add []listed
	for _, l := range industry() {
		if key := resolve.Key(resolve.Words(l.name)); key != "" && !taken(key) {
			add = append(add, l)
		}
	}
	for _, l := range add {
		key := resolve.Key(resolve.Words(l.name))
		e := l.entry
		e.Makers = nil
		for _, m := range l.entry.Makers {
			// A maker the graph knows is the graph's entity.
			if known := g.names[resolve.Key(resolve.Words(m.Name))]; onlySchema(known, records.SchemaCompany) && len(known) == 1 && known[0].ID != "" {
				m = known[0]
			}
			e.Makers = append(e.Makers, m)
		}
		if !slices.ContainsFunc(g.names[key], func(x Entry) bool { return x.Name == e.Name && x.Schema == e.Schema }) {
			g.names[key] = append(g.names[key], e)
		}
		if l.common {
			g.common[key] = true
		}
	}
}

// ListedName is the name a company found through the industry list goes
// by: the list's, unless the page gives a legal form, which names one
// company of a group ("Palantir Technologies GmbH" is Palantir's German
// subsidiary, not Palantir).
func ListedName(m Mention) string {
	if !m.Listed || len(m.Candidates) == 0 || resolve.HasLegalForm(m.Text) {
		return m.Text
	}
	return m.Candidates[0].Name
}
