package brief

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// maxChain bounds the walk up an ownership chain; real chains are short,
// and a cycle in bad data must not walk forever.
const maxChain = 8

// composer gathers the claims of one brief. Each entity's claims are read
// once (with their evidence and ends) and each claim is stated once: take
// marks it, and a claim taken twice is dropped the second time.
type composer struct {
	ctx      context.Context
	store    *graph.Store
	opt      Options
	entities map[string]graph.Entity
	claims   map[string][]graph.Claim
	byID     map[string]graph.Claim
	taken    map[string]bool
	order    []string
	notes    map[string]int
	sources  []graph.Document
	docs     map[string]graph.Document
	// asOf is Options.AsOf as a moment (graph.ParseAsOf), or empty.
	asOf string
}

// Compose reads the graph around subject (an id or name, see Subject) and
// composes the brief.
func Compose(ctx context.Context, store *graph.Store, subject string, opt Options) (*Brief, error) {
	if opt.Since != "" && !records.ValidDate(opt.Since) {
		return nil, requestErrorf("since %q is not an ISO date (2020, 2020-09 or 2020-09-15)", opt.Since)
	}
	var asOf string
	if opt.AsOf != "" {
		var err error
		if asOf, err = graph.ParseAsOf(opt.AsOf); err != nil {
			return nil, requestErrorf("%s", err.Error())
		}
	}
	e, err := Subject(ctx, store, subject)
	if err != nil {
		return nil, err
	}
	if asOf != "" {
		if e, err = store.EntityAsOf(ctx, e.ID, asOf); err != nil {
			return nil, err
		}
	}
	kind, err := kindFor(e, opt.Kind)
	if err != nil {
		return nil, err
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	c := &composer{ctx: ctx, store: store, opt: opt, asOf: asOf, entities: map[string]graph.Entity{e.ID: e},
		claims: map[string][]graph.Claim{}, byID: map[string]graph.Claim{}, taken: map[string]bool{}, notes: map[string]int{}, docs: map[string]graph.Document{}}
	b := &Brief{Subject: e, Kind: kind, Generated: opt.Now, Since: opt.Since, AsOf: strings.TrimSpace(opt.AsOf)}
	// Every entity, claim and document the brief prints is isolated as it
	// is read (here, and in prefetch, entityFacts and country); the
	// subject stays as it is for the brief's callers.
	e = isolateEntity(e)
	c.entities[e.ID] = e
	switch kind {
	case Vendor:
		b.Title = "Accountability brief: " + e.Name
		err = c.vendor(b, e)
	case Buyer:
		b.Title = "Accountability brief: " + e.Name
		err = c.buyers(b, e, []string{e.ID}, "")
	case Country:
		b.Title = "Accountability brief: " + e.Name
		err = c.country(b, e)
	}
	if err != nil {
		return nil, fmt.Errorf("brief on %s: %w", e.ID, err)
	}
	b.Sources = c.sources
	b.Claims = c.order
	b.Timeline = c.timeline()
	b.Diagram = c.diagram(e)
	for _, d := range c.sources {
		for _, date := range []string{d.Published, d.Retrieved} {
			if len(date) >= 10 {
				date = date[:10]
			}
			b.DataDate = max(b.DataDate, date)
		}
	}
	return b, nil
}

// load reads an entity and its claims once.
func (c *composer) load(id string) (graph.Entity, []graph.Claim, error) {
	if err := c.prefetch([]string{id}); err != nil {
		return graph.Entity{}, nil, err
	}
	cs, ok := c.claims[id]
	if !ok {
		return graph.Entity{}, nil, fmt.Errorf("entity %s: %w", id, graph.ErrNotFound)
	}
	return c.entities[id], cs, nil
}

// prefetch reads the entities and claims not read yet, in one statement,
// so a brief costs a round trip per step of its walk (the buyers, the
// next level of owners), not one per entity.
func (c *composer) prefetch(ids []string) error {
	var missing []string
	for _, id := range ids {
		if _, ok := c.claims[id]; !ok && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	read := c.store.EntitiesWithClaims
	if c.asOf != "" {
		read = func(ctx context.Context, ids []string) (map[string]graph.Entity, map[string][]graph.Claim, error) {
			return c.store.EntitiesWithClaimsAsOf(ctx, ids, c.asOf)
		}
	}
	ents, claims, err := read(c.ctx, missing)
	if err != nil {
		return err
	}
	for id, cs := range claims {
		e := isolateEntity(ents[id])
		c.entities[e.ID], c.entities[id] = e, e
		for i, cl := range cs {
			cl = IsolateClaim(cl)
			cs[i] = cl
			for _, end := range cl.Ends {
				if _, ok := c.entities[end.ID]; !ok {
					c.entities[end.ID] = end
				}
			}
			c.byID[cl.ID] = cl
		}
		slices.SortStableFunc(cs, byDate)
		c.claims[id] = cs
	}
	return nil
}

func byDate(a, b graph.Claim) int {
	return cmp.Or(cmp.Compare(firstDate(a), firstDate(b)), cmp.Compare(a.Relation, b.Relation),
		cmp.Compare(a.Object, b.Object), cmp.Compare(a.ID, b.ID))
}

func firstDate(c graph.Claim) string { return cmp.Or(c.Start, c.End) }

func lastDate(c graph.Claim) string { return cmp.Or(c.End, c.Start) }

// match picks the claims of an entity that pass keep and are not taken yet.
func (c *composer) match(id string, keep func(graph.Claim) bool) ([]graph.Claim, error) {
	_, cs, err := c.load(id)
	if err != nil {
		return nil, err
	}
	var out []graph.Claim
	for _, cl := range cs {
		if !c.taken[cl.ID] && keep(cl) {
			out = append(out, cl)
		}
	}
	return out, nil
}

// recent says whether a dated claim falls within Options.Since. Undated
// claims count as recent when a source was published or retrieved since.
func (c *composer) recent(cl graph.Claim) bool {
	if c.opt.Since == "" {
		return true
	}
	if d := lastDate(cl); d != "" {
		return d >= c.opt.Since || strings.HasPrefix(c.opt.Since, d)
	}
	for _, ev := range cl.Evidence {
		if ev.Document.Published >= c.opt.Since || ev.Document.Retrieved >= c.opt.Since {
			return true
		}
	}
	return false
}

// state turns claims into statements, marking each claim taken.
func (c *composer) state(cs []graph.Claim) []Statement {
	var out []Statement
	for _, cl := range c.contestedLast(cs) {
		if c.taken[cl.ID] {
			continue
		}
		c.taken[cl.ID] = true
		c.order = append(c.order, cl.ID)
		out = append(out, Statement{Text: c.sentence(cl), Notes: c.cite(cl), Claims: []string{cl.ID}})
	}
	return out
}

// contestedLast puts each denial right after the assertions it answers,
// so a contested link reads as both sides together.
func (c *composer) contestedLast(cs []graph.Claim) []graph.Claim {
	key := func(cl graph.Claim) string { return graph.PairKey(cl.Relation, cl.Subject, cl.Object) }
	first := map[string]int{}
	for i, cl := range cs {
		if _, ok := first[key(cl)]; !ok {
			first[key(cl)] = i
		}
	}
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b graph.Claim) int {
		return cmp.Or(cmp.Compare(first[key(a)], first[key(b)]), cmp.Compare(denies(a), denies(b)))
	})
	return out
}

func denies(cl graph.Claim) int {
	if cl.Stance == records.StanceDenies {
		return 1
	}
	return 0
}

// cite numbers the documents behind a claim.
func (c *composer) cite(cl graph.Claim) []int {
	var docs []graph.Document
	for _, ev := range cl.Evidence {
		docs = append(docs, ev.Document)
	}
	return c.citeDocs(docs)
}

func (c *composer) citeDocs(docs []graph.Document) []int {
	var out []int
	for _, d := range docs {
		n, ok := c.notes[d.ID]
		if !ok {
			c.sources = append(c.sources, d)
			n = len(c.sources)
			c.notes[d.ID] = n
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// entityFacts states what an entity's own record says (its description,
// capabilities and export-control entries), cited to the documents the
// record came from; without a source it states nothing.
func (c *composer) entityFacts(e graph.Entity) ([]Statement, error) {
	if len(e.Sources) == 0 {
		return nil, nil
	}
	var docs []graph.Document
	var missing []string
	for _, id := range e.Sources {
		if d, ok := c.docs[id]; ok {
			docs = append(docs, d)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		found, err := c.store.DocumentsByID(c.ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			if d, ok := found[id]; ok {
				d = isolateDocument(d)
				c.docs[id] = d
				docs = append(docs, d)
			}
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	var out []Statement
	add := func(text string) { out = append(out, Statement{Text: text, Notes: c.citeDocs(docs)}) }
	if e.Description != "" {
		add(fmt.Sprintf("The record of %s describes it as follows: %s", name(e), sentenceEnd(e.Description)))
	}
	if len(e.Capabilities) > 0 {
		add(fmt.Sprintf("%s is recorded with the capabilities %s.", capital(name(e)), capabilityList(e.Capabilities)))
	}
	if len(e.ExportControl) > 0 {
		add(fmt.Sprintf("%s falls under the export-control entries %s.", capital(name(e)), strings.Join(e.ExportControl, ", ")))
	}
	return out, nil
}

func sentenceEnd(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// vendor composes a brief on a vendor: profile, ownership, products,
// buyers, designations, incidents and whatever else its claims say.
func (c *composer) vendor(b *Brief, e graph.Entity) error {
	profile, err := c.entityFacts(e)
	if err != nil {
		return err
	}
	located, err := c.match(e.ID, func(cl graph.Claim) bool { return cl.Relation == records.RelLocatedIn && cl.Subject == e.ID })
	if err != nil {
		return err
	}
	profile = append(c.state(located), profile...)

	owners, ownership, err := c.ownership(e.ID)
	if err != nil {
		return err
	}

	offers, err := c.match(e.ID, func(cl graph.Claim) bool { return cl.Relation == records.RelOffers && cl.Subject == e.ID })
	if err != nil {
		return err
	}
	products := c.state(offers)
	var productIDs []string
	for _, cl := range offers {
		productIDs = append(productIDs, cl.Object)
		facts, err := c.entityFacts(c.entities[cl.Object])
		if err != nil {
			return err
		}
		products = append(products, facts...)
	}

	supplied, err := c.match(e.ID, func(cl graph.Claim) bool {
		return cl.Relation == records.RelSupplied && cl.Subject == e.ID && c.recent(cl)
	})
	if err != nil {
		return err
	}
	buyers := map[string]bool{}
	for _, cl := range supplied {
		buyers[cl.Object] = true
	}
	if err := c.prefetch(slices.Sorted(maps.Keys(buyers))); err != nil {
		return err
	}
	// A buyer that passed the vendor's goods on (a reseller) is read too,
	// so "the contract through Jet Infosystems" stands beside the sale.
	var onward []graph.Claim
	for _, id := range slices.Sorted(maps.Keys(buyers)) {
		cs, err := c.match(id, func(cl graph.Claim) bool {
			return cl.Relation == records.RelSupplied && cl.Subject == id && buyers[cl.Object] && c.recent(cl)
		})
		if err != nil {
			return err
		}
		onward = append(onward, cs...)
	}
	designations, err := c.designations(append([]string{e.ID}, productIDs...))
	if err != nil {
		return err
	}
	transfers := append(slices.Clone(supplied), onward...)
	transferSection, err := c.transfers("Buyers and transfers", transfers, designations)
	if err != nil {
		return err
	}

	involved := append([]string{e.ID}, productIDs...)
	incidents, err := c.incidents(involved, slices.Sorted(maps.Keys(buyers)), "")
	if err != nil {
		return err
	}

	rest, err := c.match(e.ID, func(graph.Claim) bool { return true })
	if err != nil {
		return err
	}
	var restInRange []graph.Claim
	for _, cl := range rest {
		if c.recent(cl) {
			restInRange = append(restInRange, cl)
		}
	}

	b.Summary = c.vendorSummary(e, owners, ownership, supplied, designations)
	b.Sections = nonEmpty(
		Section{Title: "Profile", Groups: []Group{{Statements: profile}}},
		Section{Title: "Ownership and lineage", Groups: []Group{{Statements: ownership}}},
		Section{Title: "Products and capabilities", Groups: []Group{{Statements: products}}},
		transferSection,
		c.designationSection(designations, transfers),
		incidents,
		Section{Title: "Other recorded links", Groups: []Group{{Statements: c.state(restInRange)}}},
	)
	return nil
}

// ownership walks from a company up its owners, parents, acquirers and
// predecessors, and states each link and where each owner is based. It
// returns the ultimate owners: owners no claim gives an owner of their own.
func (c *composer) ownership(id string) ([]graph.Entity, []Statement, error) {
	var out []Statement
	ownedBy := map[string][]string{}
	seen := map[string]bool{id: true}
	frontier := []string{id}
	for depth := 0; depth < maxChain && len(frontier) > 0; depth++ {
		if err := c.prefetch(frontier); err != nil {
			return nil, nil, err
		}
		var next []string
		for _, x := range frontier {
			cs, err := c.match(x, func(cl graph.Claim) bool {
				switch cl.Relation {
				case records.RelOwns, records.RelRenamedTo:
					return cl.Object == x || (cl.Relation == records.RelRenamedTo && x == id && cl.Subject == x)
				case records.RelSubsidiaryOf, records.RelAcquiredBy:
					return cl.Subject == x
				case records.RelLocatedIn:
					return cl.Subject == x && x != id
				}
				return false
			})
			if err != nil {
				return nil, nil, err
			}
			out = append(out, c.state(cs)...)
			for _, cl := range cs {
				up := ""
				switch {
				case cl.Relation == records.RelOwns || (cl.Relation == records.RelRenamedTo && cl.Object == x):
					up = cl.Subject
				case cl.Relation == records.RelSubsidiaryOf || cl.Relation == records.RelAcquiredBy:
					up = cl.Object
				}
				if up == "" || cl.Stance == records.StanceDenies || cl.Status == records.StatusRetracted {
					continue
				}
				if cl.Relation != records.RelRenamedTo && !slices.Contains(ownedBy[x], up) {
					ownedBy[x] = append(ownedBy[x], up)
				}
				if !seen[up] {
					seen[up] = true
					next = append(next, up)
				}
			}
		}
		frontier = next
	}
	// The ultimate owners are those reached from id through ownership
	// links that have no owner of their own.
	var ultimate []graph.Entity
	var walk func(string, int)
	visited := map[string]bool{}
	walk = func(x string, depth int) {
		if visited[x] || depth > maxChain {
			return
		}
		visited[x] = true
		if len(ownedBy[x]) == 0 && x != id {
			ultimate = append(ultimate, c.entities[x])
			return
		}
		for _, up := range ownedBy[x] {
			walk(up, depth+1)
		}
	}
	walk(id, 0)
	return ultimate, out, nil
}

// designations reads the DESIGNATED claims of the given entities.
func (c *composer) designations(ids []string) ([]graph.Claim, error) {
	var out []graph.Claim
	for _, id := range ids {
		cs, err := c.match(id, func(cl graph.Claim) bool { return cl.Relation == records.RelDesignated && cl.Subject == id })
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// listedOn says whether a designation was in force on a date (see
// records.InForce for partial dates); known is false when either has no
// date, or the designation is denied or retracted.
func listedOn(d graph.Claim, date string) (on, known bool) {
	if date == "" || d.Start == "" || d.Stance == records.StanceDenies || d.Status == records.StatusRetracted {
		return false, false
	}
	return records.InForce(d.Start, d.End, date), true
}

// transfers states the supply claims grouped by the buyer's country and
// indexes them in a table that says whether the supplier was listed on
// the transfer's dates.
func (c *composer) transfers(title string, cs []graph.Claim, designations []graph.Claim) (Section, error) {
	groups := map[string][]graph.Claim{}
	for _, cl := range cs {
		groups[c.countryOf(cl.Object)] = append(groups[c.countryOf(cl.Object)], cl)
	}
	// A reseller's own purchase belongs with where its goods went.
	for _, cl := range cs {
		for _, on := range cs {
			if on.Subject == cl.Object && on.Relation == records.RelSupplied {
				from, to := c.countryOf(cl.Object), c.countryOf(on.Object)
				if from != to {
					groups[from] = slices.DeleteFunc(groups[from], func(x graph.Claim) bool { return x.ID == cl.ID })
					if !slices.ContainsFunc(groups[to], func(x graph.Claim) bool { return x.ID == cl.ID }) {
						groups[to] = append(groups[to], cl)
					}
				}
			}
		}
	}
	s := Section{Title: title}
	table := &Table{Columns: []string{"Supplier", "Buyer", "Product", "Stage", "Dates", "Value", "Status", "Supplier listed then?"}}
	for _, cc := range slices.Sorted(maps.Keys(groups)) {
		list := groups[cc]
		if len(list) == 0 {
			continue
		}
		slices.SortStableFunc(list, byDate)
		sts := c.state(list)
		s.Groups = append(s.Groups, Group{Heading: countryName(cc), Statements: sts})
		for _, cl := range c.contestedLast(list) {
			table.Rows = append(table.Rows, Row{Cells: []string{
				name(c.entities[cl.Subject]), name(c.entities[cl.Object]), name(c.entities[cl.Product]),
				stageWords[cl.Stage], dateRange(cl), value(cl), statusWords(cl), c.listedThen(cl, designations),
			}, Notes: c.cite(cl)})
		}
	}
	if len(table.Rows) > 0 {
		s.Table = table
	}
	return s, nil
}

// listedThen answers "was the supplier listed on the date of this
// transfer?" from the designations in the brief.
func (c *composer) listedThen(cl graph.Claim, designations []graph.Claim) string {
	var ds []graph.Claim
	for _, d := range designations {
		if d.Subject == cl.Subject {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		return "no listing on record"
	}
	if firstDate(cl) == "" {
		return "transfer undated"
	}
	for _, d := range ds {
		for _, date := range []string{cl.Start, cl.End} {
			if on, _ := listedOn(d, date); on {
				return fmt.Sprintf("yes: %s from %s", listName(d), formatDate(d.Start))
			}
		}
	}
	return fmt.Sprintf("no: %s only from %s", listName(ds[0]), formatDate(ds[0].Start))
}

func (c *composer) designationSection(designations, transfers []graph.Claim) Section {
	var kept []graph.Claim
	for _, d := range designations {
		if c.recent(d) {
			kept = append(kept, d)
		}
	}
	sts := c.state(kept)
	// Whether each listing came before or after the transfers on record is
	// derived from the claims above and cited to all of them.
	for _, d := range kept {
		if d.Start == "" || d.Stance == records.StanceDenies {
			continue
		}
		var before, during []graph.Claim
		for _, t := range transfers {
			if t.Subject != d.Subject || firstDate(t) == "" {
				continue
			}
			on := false
			for _, date := range []string{t.Start, t.End} {
				if ok, _ := listedOn(d, date); ok {
					on = true
				}
			}
			if on {
				during = append(during, t)
			} else if lastDate(t) < d.Start {
				before = append(before, t)
			}
		}
		who := name(c.entities[d.Subject])
		notes := c.cite(d)
		switch {
		case len(during) > 0:
			for _, t := range during {
				notes = mergeNotes(notes, c.cite(t))
			}
			sts = append(sts, Statement{Text: fmt.Sprintf("%d of the transfers above by %s %s dated while it was on the %s.",
				len(during), who, isAre(len(during)), listName(d)), Notes: notes})
		case len(before) > 0:
			latest := before[0]
			for _, t := range before {
				if lastDate(t) > lastDate(latest) {
					latest = t
				}
			}
			notes = mergeNotes(notes, c.cite(latest))
			sts = append(sts, Statement{Text: fmt.Sprintf("Every dated transfer by %s above precedes its listing on the %s on %s; the latest is dated %s.",
				who, listName(d), formatDate(d.Start), formatDate(lastDate(latest))), Notes: notes})
		}
	}
	return Section{Title: "Designations", Groups: []Group{{Statements: sts}}}
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func mergeNotes(a, b []int) []int {
	out := slices.Clone(a)
	for _, n := range b {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// incidents states the incidents the given entities were involved in (and,
// with a country, those that occurred there), each with where and when it
// happened and who else the brief's entities say was involved.
func (c *composer) incidents(involved, alsoInvolved []string, countryID string) (Section, error) {
	found := map[string]bool{}
	for _, id := range involved {
		cs, err := c.match(id, func(cl graph.Claim) bool { return cl.Relation == records.RelInvolvedIn && cl.Subject == id })
		if err != nil {
			return Section{}, err
		}
		for _, cl := range cs {
			found[cl.Object] = true
		}
	}
	if countryID != "" {
		cs, err := c.match(countryID, func(cl graph.Claim) bool { return cl.Relation == records.RelOccurredIn && cl.Object == countryID })
		if err != nil {
			return Section{}, err
		}
		for _, cl := range cs {
			found[cl.Subject] = true
		}
	}
	inBrief := map[string]bool{}
	for _, id := range append(slices.Clone(involved), alsoInvolved...) {
		inBrief[id] = true
	}
	if err := c.prefetch(slices.Sorted(maps.Keys(found))); err != nil {
		return Section{}, err
	}
	s := Section{Title: "Incidents tied to the technology"}
	for _, inc := range slices.Sorted(maps.Keys(found)) {
		cs, err := c.match(inc, func(cl graph.Claim) bool {
			switch cl.Relation {
			case records.RelOccurredIn:
				return cl.Subject == inc
			case records.RelInvolvedIn:
				return cl.Object == inc && (inBrief[cl.Subject] || countryID != "")
			}
			return false
		})
		if err != nil {
			return Section{}, err
		}
		var kept []graph.Claim
		for _, cl := range cs {
			if c.recent(cl) {
				kept = append(kept, cl)
			}
		}
		if len(kept) == 0 {
			continue
		}
		e := c.entities[inc]
		facts, err := c.entityFacts(e)
		if err != nil {
			return Section{}, err
		}
		s.Groups = append(s.Groups, Group{Heading: e.Name, Statements: append(c.state(kept), facts...)})
	}
	return s, nil
}

// buyers composes a brief on one or more buyers (a body and its units, or
// a country's bodies): context, suppliers and their owners and listings,
// and incidents; with countryID, also the incidents that occurred there.
func (c *composer) buyers(b *Brief, subject graph.Entity, targets []string, countryID string) error {
	profile, err := c.entityFacts(subject)
	if err != nil {
		return err
	}
	inScope := map[string]bool{}
	for _, id := range targets {
		inScope[id] = true
	}
	if err := c.prefetch(targets); err != nil {
		return err
	}
	// Units of a buyer are buyers too.
	for i := 0; i < len(targets) && i < 500; i++ {
		id := targets[i]
		cs, err := c.match(id, func(cl graph.Claim) bool { return cl.Relation == records.RelPartOf && cl.Object == id })
		if err != nil {
			return err
		}
		for _, cl := range cs {
			if !inScope[cl.Subject] && c.entities[cl.Subject].Schema == records.SchemaPublicBody {
				inScope[cl.Subject] = true
				targets = append(targets, cl.Subject)
			}
		}
	}
	var supplies []graph.Claim
	suppliers := map[string]bool{}
	for _, id := range targets {
		cs, err := c.match(id, func(cl graph.Claim) bool {
			return cl.Relation == records.RelSupplied && cl.Object == id && c.recent(cl)
		})
		if err != nil {
			return err
		}
		for _, cl := range cs {
			suppliers[cl.Subject] = true
		}
		supplies = append(supplies, cs...)
	}
	if err := c.prefetch(slices.Sorted(maps.Keys(suppliers))); err != nil {
		return err
	}
	// What one supplier sold to another on the way to the buyer.
	for _, id := range slices.Sorted(maps.Keys(suppliers)) {
		cs, err := c.match(id, func(cl graph.Claim) bool {
			return cl.Relation == records.RelSupplied && cl.Object == id && suppliers[cl.Subject] && c.recent(cl)
		})
		if err != nil {
			return err
		}
		supplies = append(supplies, cs...)
	}
	// How the buyers hang together: where the subject and each body or
	// company that bought sits, and the parents of those, up the chain.
	// A company of the country that bought nothing (a vendor based there)
	// is not stated.
	var context []graph.Claim
	placed := map[string]bool{subject.ID: true}
	queue := []string{subject.ID}
	for _, cl := range supplies {
		if inScope[cl.Object] && !placed[cl.Object] {
			placed[cl.Object] = true
			queue = append(queue, cl.Object)
		}
	}
	for i := 0; i < len(queue); i++ {
		id := queue[i]
		cs, err := c.match(id, func(cl graph.Claim) bool {
			return (cl.Relation == records.RelPartOf || cl.Relation == records.RelLocatedIn) && cl.Subject == id
		})
		if err != nil {
			return err
		}
		context = append(context, cs...)
		for _, cl := range cs {
			if cl.Relation == records.RelPartOf && inScope[cl.Object] && !placed[cl.Object] {
				placed[cl.Object] = true
				queue = append(queue, cl.Object)
			}
		}
	}
	profile = append(c.state(context), profile...)

	var designations []graph.Claim
	for _, id := range slices.Sorted(maps.Keys(suppliers)) {
		ds, err := c.designations([]string{id})
		if err != nil {
			return err
		}
		designations = append(designations, ds...)
	}
	transferSection, err := c.transfers("Suppliers and transfers", supplies, designations)
	if err != nil {
		return err
	}
	var owners []Statement
	for _, id := range slices.Sorted(maps.Keys(suppliers)) {
		_, st, err := c.ownership(id)
		if err != nil {
			return err
		}
		owners = append(owners, st...)
	}
	incidents, err := c.incidents(targets, slices.Sorted(maps.Keys(suppliers)), countryID)
	if err != nil {
		return err
	}
	b.Summary = c.buyerSummary(subject, supplies, suppliers)
	b.Sections = nonEmpty(
		Section{Title: "Profile", Groups: []Group{{Statements: profile}}},
		transferSection,
		Section{Title: "Suppliers' owners", Groups: []Group{{Statements: owners}}},
		c.designationSection(designations, supplies),
		incidents,
	)
	return nil
}

// country composes a brief on a country: the bodies and companies of the
// country that bought, and what occurred there.
func (c *composer) country(b *Brief, e graph.Entity) error {
	cs, err := c.match(e.ID, func(cl graph.Claim) bool {
		return (cl.Relation == records.RelPartOf || cl.Relation == records.RelLocatedIn) && cl.Object == e.ID
	})
	if err != nil {
		return err
	}
	local := map[string]bool{}
	for _, cl := range cs {
		local[cl.Subject] = true
	}
	code := strings.TrimPrefix(e.ID, "country:")
	for _, schema := range []string{records.SchemaPublicBody, records.SchemaCompany} {
		es, _, err := c.store.Entities(c.ctx, graph.EntityFilter{Schemas: []string{schema}, Country: code, Limit: 500})
		if err != nil {
			return err
		}
		for _, x := range es {
			local[x.ID] = true
			c.entities[x.ID] = isolateEntity(x)
		}
	}
	// Only what the country's bodies and companies bought makes them
	// buyers; a vendor based there is not one.
	return c.buyers(b, e, slices.Sorted(maps.Keys(local)), e.ID)
}

func (c *composer) countryOf(id string) string {
	e := c.entities[id]
	if e.Schema == records.SchemaCountry {
		return strings.TrimPrefix(e.ID, "country:")
	}
	return e.Country
}

func countryName(code string) string {
	if code == "" {
		return "Country not recorded"
	}
	if ct, ok := country.Lookup(code); ok {
		return ct.Name
	}
	return code
}

func nonEmpty(sections ...Section) []Section {
	var out []Section
	for _, s := range sections {
		n := 0
		for _, g := range s.Groups {
			n += len(g.Statements)
		}
		if n > 0 || s.Table != nil {
			out = append(out, s)
		}
	}
	return out
}
