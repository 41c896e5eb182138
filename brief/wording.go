package brief

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/seed"
)

// The wording follows what the evidence can bear: a reported claim is
// attributed to whoever reported it ("According to Bloomberg (2020), …"),
// a documented one names the primary record it stands on, a confirmed one
// says an editor checked it, and a denial or dispute is said as such. Past
// tense throughout: a source speaks for the time it was written.

// Sentence words one claim as a brief does, attributed as strongly as
// its status allows, with its first quote; its parties' names come from
// the claim's Ends. A watch's feed says its entries so.
func Sentence(cl graph.Claim) string {
	c := &composer{entities: map[string]graph.Entity{}}
	for _, e := range cl.Ends {
		c.entities[e.ID] = e
	}
	return c.sentence(cl)
}

// sentence words one claim as one sentence, with its first quote.
func (c *composer) sentence(cl graph.Claim) string {
	s := attributed(cl, c.clause(cl))
	for _, ev := range cl.Evidence {
		if ev.Quote != "" {
			s += fmt.Sprintf(" (%s: “%s”)", ev.Document.Publisher, strings.TrimSpace(ev.Quote))
			break
		}
	}
	return s + "."
}

// attributed says a clause as strongly as the claim's status allows.
func attributed(cl graph.Claim, clause string) string {
	who := publishers(cl)
	switch {
	case cl.Status == records.StatusRetracted:
		return fmt.Sprintf("A report by %s that %s has been retracted", who, clause)
	case cl.Status == records.StatusDisputed:
		return fmt.Sprintf("%s reported, and others dispute, that %s", capital(who), clause)
	case cl.Stance == records.StanceDenies && cl.Status == records.StatusDocumented:
		return fmt.Sprintf("%s records a denial that %s", capital(primaryRecords(cl)), clause)
	case cl.Stance == records.StanceDenies:
		return fmt.Sprintf("According to %s, it is denied that %s", who, clause)
	case cl.Status == records.StatusDocumented:
		return fmt.Sprintf("%s, as recorded in %s", capital(clause), primaryRecords(cl))
	case cl.Status == records.StatusConfirmed:
		return fmt.Sprintf("%s; an editor confirmed this against %s", capital(clause), who)
	}
	return fmt.Sprintf("According to %s, %s", who, clause)
}

// clause is the bare assertion of a claim, without attribution.
func (c *composer) clause(cl graph.Claim) string {
	subj, obj := name(c.entities[cl.Subject]), name(c.entities[cl.Object])
	product := name(c.entities[cl.Product])
	var s string
	switch cl.Relation {
	case records.RelSupplied:
		obj = c.withCountry(cl.Object)
		what := cmp.Or(product, "technology")
		switch cl.Stage {
		case "offered":
			s = fmt.Sprintf("%s offered %s to %s", subj, what, obj)
		case "ordered":
			s = fmt.Sprintf("%s ordered %s from %s", obj, what, subj)
		case "delivered":
			s = fmt.Sprintf("%s delivered %s to %s", subj, what, obj)
		case "in_use":
			if product != "" {
				s = fmt.Sprintf("%s’s %s was in use at %s", subj, product, obj)
			} else {
				s = fmt.Sprintf("technology from %s was in use at %s", subj, obj)
			}
		case "ended":
			s = fmt.Sprintf("%s’s supply to %s ended", subj, obj)
		default:
			s = fmt.Sprintf("%s supplied %s to %s", subj, what, obj)
		}
		s += period(cl)
		if cl.Value != nil {
			s += " under a contract worth " + money(*cl.Value, cl.Currency)
		}
		if cl.Quantity != "" {
			s += " (quantity: " + cl.Quantity + ")"
		}
	case records.RelOwns:
		s = fmt.Sprintf("%s owned %s", subj, obj)
		if cl.Share != "" {
			s += " (share: " + cl.Share + ")"
		}
		s += period(cl)
	case records.RelSubsidiaryOf:
		s = fmt.Sprintf("%s was a subsidiary of %s", subj, obj) + period(cl)
	case records.RelAcquiredBy:
		s = fmt.Sprintf("%s acquired %s", obj, subj) + period(cl)
	case records.RelRenamedTo:
		s = fmt.Sprintf("%s was renamed %s", subj, obj) + period(cl)
	case records.RelOffers:
		s = fmt.Sprintf("%s offered %s", subj, obj)
	case records.RelLocatedIn:
		s = fmt.Sprintf("%s was based in %s", subj, obj)
	case records.RelPartOf:
		s = fmt.Sprintf("%s was part of %s", subj, obj)
	case records.RelOfficerOf:
		s = fmt.Sprintf("%s served as %s of %s", subj, cmp.Or(cl.Role, "an officer"), obj) + period(cl)
	case records.RelDesignated:
		if cl.List != "" {
			s = fmt.Sprintf("%s added %s to the %s", obj, subj, cl.List)
		} else {
			s = fmt.Sprintf("%s designated %s", obj, subj)
		}
		if cl.Program != "" {
			s += " under the " + cl.Program + " programme"
		}
		if cl.Start != "" {
			s += " with effect from " + formatDate(cl.Start)
		}
		if cl.End != "" {
			s += " until " + formatDate(cl.End)
		}
	case records.RelInvolvedIn:
		if strings.HasSuffix(cl.Role, "ed") && !strings.Contains(cl.Role, " ") {
			s = fmt.Sprintf("%s %s %s", subj, cl.Role, obj)
		} else {
			s = fmt.Sprintf("%s was involved in %s", subj, obj)
			if cl.Role != "" {
				s += " (role: " + cl.Role + ")"
			}
		}
		s += period(cl)
	case records.RelOccurredIn:
		s = fmt.Sprintf("%s occurred in %s", subj, obj) + period(cl)
	default:
		s = fmt.Sprintf("%s %s %s", subj, strings.ToLower(strings.ReplaceAll(cl.Relation, "_", " ")), obj) + period(cl)
	}
	var unsure []string
	for _, f := range cl.Uncertain {
		switch f {
		case "start", "end":
			f = "the date"
		default:
			f = "the " + f
		}
		if !slices.Contains(unsure, f) {
			unsure = append(unsure, f)
		}
	}
	if len(unsure) > 0 {
		s += " (" + join(unsure) + " uncertain)"
	}
	return s
}

// period words a claim's dates.
func period(cl graph.Claim) string {
	switch {
	case cl.Start != "" && cl.End != "":
		return " from " + formatDate(cl.Start) + " to " + formatDate(cl.End)
	case len(cl.Start) == len("2006-01-02") && cl.Stage != "in_use" && cl.Relation != records.RelOwns && cl.Relation != records.RelSubsidiaryOf:
		return " on " + formatDate(cl.Start)
	case cl.Start != "" && (cl.Stage == "in_use" || cl.Relation == records.RelOwns || cl.Relation == records.RelSubsidiaryOf):
		return " from " + formatDate(cl.Start)
	case cl.Start != "":
		return " in " + formatDate(cl.Start)
	case cl.End != "" && cl.Stage == "ended":
		return " on " + formatDate(cl.End)
	case cl.End != "":
		return " until " + formatDate(cl.End)
	}
	return ""
}

func (c *composer) withCountry(id string) string {
	e := c.entities[id]
	n := name(e)
	// "the Government of Azerbaijan" needs no "(Azerbaijan)".
	if cn := countryName(e.Country); e.Schema != records.SchemaCountry && e.Country != "" && !strings.Contains(n, cn) {
		n += " (" + cn + ")"
	}
	return n
}

// publishers names who published a claim's evidence, each once, with the
// year: "Citizen Lab (2018) and Bloomberg (2020)".
func publishers(cl graph.Claim) string {
	var parts []string
	for _, ev := range cl.Evidence {
		d := ev.Document
		p := cmp.Or(d.Publisher, host(d.URL), "an unnamed source")
		if len(d.Published) >= 4 {
			p += " (" + d.Published[:4] + ")"
		}
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "an unnamed source"
	}
	return join(parts)
}

// primaryRecords names the primary records of a documented claim by title.
func primaryRecords(cl graph.Claim) string {
	var parts []string
	for _, ev := range cl.Evidence {
		d := ev.Document
		p := "“" + cmp.Or(d.Title, d.URL) + "”"
		if d.Publisher != "" {
			p = d.Publisher + "’s record " + p
		}
		if d.Published != "" {
			p += " (" + formatDate(d.Published) + ")"
		}
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "an unnamed record"
	}
	return join(parts)
}

func host(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Hostname()
	}
	return u
}

func join(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// theNames are the leading words of a body's name that read with "the".
var theNames = []string{"Government", "Ministry", "National", "State", "Bureau", "Office", "Department",
	"Federal", "Central", "Directorate", "General", "Agency", "Committee", "Service", "Security", "Police", "Royal", "Presidential"}

// theCountries are the leading words of country names said with "the"
// (the United States, the Czech Republic); plural names (the Netherlands,
// the Philippines) are caught by their final s.
var theCountries = []string{"United", "Czech", "Dominican", "Central", "Democratic", "Republic", "Holy", "State"}

// name is how a sentence calls an entity.
func name(e graph.Entity) string {
	if e.Name == "" {
		return e.ID
	}
	first, _, _ := strings.Cut(e.Name, " ")
	switch {
	case e.Schema == records.SchemaPublicBody && slices.Contains(theNames, first),
		e.Schema == records.SchemaCountry && (slices.Contains(theCountries, first) || strings.HasSuffix(e.Name, "s") && e.Name != "Belarus" && e.Name != "Cyprus" && e.Name != "Mauritius"):
		return "the " + e.Name
	}
	return e.Name
}

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// capabilityList words capability codes with the vocabulary's descriptions.
func capabilityList(codes []string) string {
	words := map[string]string{}
	if caps, err := seed.Capabilities(); err == nil {
		words = caps
	}
	var parts []string
	for _, code := range codes {
		if w, ok := words[code]; ok {
			w, _, _ = strings.Cut(w, ",")
			parts = append(parts, fmt.Sprintf("%s (%s)", code, strings.ToLower(strings.TrimSuffix(w, "."))))
		} else {
			parts = append(parts, code)
		}
	}
	return join(parts)
}

var stageWords = map[string]string{
	"offered": "offered", "ordered": "ordered", "delivered": "delivered", "in_use": "in use", "ended": "ended",
}

var months = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// formatDate writes an ISO date or partial date as a reader says it:
// "15 September 2020", "March 2017", "2009".
func formatDate(d string) string {
	if t, err := time.Parse("2006-01-02", d); err == nil {
		return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
	}
	if t, err := time.Parse("2006-01", d); err == nil {
		return fmt.Sprintf("%s %d", months[t.Month()-1], t.Year())
	}
	return d
}

func dateRange(cl graph.Claim) string {
	switch {
	case cl.Start != "" && cl.End != "":
		return formatDate(cl.Start) + " – " + formatDate(cl.End)
	case cl.Start != "":
		return "from " + formatDate(cl.Start)
	case cl.End != "":
		return "until " + formatDate(cl.End)
	}
	return "undated"
}

// money writes 2500000 USD as "USD 2,500,000".
func money(v float64, currency string) string {
	whole := strconv.FormatFloat(v, 'f', 0, 64)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 && r != '-' && whole[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(currency + " " + b.String())
}

func value(cl graph.Claim) string {
	if cl.Value == nil {
		return ""
	}
	return money(*cl.Value, cl.Currency)
}

func statusWords(cl graph.Claim) string {
	s := cl.Status
	if cl.Stance == records.StanceDenies {
		s += ", denial"
	}
	return s
}

func listName(d graph.Claim) string {
	return cmp.Or(d.List, "list of "+d.Object)
}

// vendorSummary composes the opening paragraph of a vendor brief from the
// claims already stated, with their footnotes.
func (c *composer) vendorSummary(e graph.Entity, owners []graph.Entity, ownership []Statement, supplied, designations []graph.Claim) []Statement {
	var out []Statement
	if len(owners) > 0 {
		var names []string
		for _, o := range owners {
			names = append(names, c.withCountry(o.ID))
		}
		var notes []int
		for _, st := range ownership {
			notes = mergeNotes(notes, st.Notes)
		}
		out = append(out, Statement{Text: fmt.Sprintf("On the sources cited here, the ultimate owner of %s is %s.", e.Name, join(names)), Notes: notes})
	}
	if t := c.tally(supplied); t.buyers > 0 {
		out = append(out, Statement{Text: fmt.Sprintf("The sources cited here name %s as the supplier of %d %s in %d %s (%s)%s.",
			e.Name, t.buyers, plural(t.buyers, "buyer", "buyers"), len(t.countries), plural(len(t.countries), "country", "countries"),
			join(t.countries), t.tail()), Notes: t.notes})
	}
	for _, d := range designations {
		if d.Stance == records.StanceDenies || d.Start == "" {
			continue
		}
		out = append(out, Statement{Text: attributed(d, fmt.Sprintf("%s has been on the %s since %s",
			name(c.entities[d.Subject]), listName(d), formatDate(d.Start))) + ".", Notes: c.cite(d)})
	}
	return out
}

// tally counts the buyers, countries, dates and statuses of supply claims
// for a summary.
type tally struct {
	buyers      int
	countries   []string
	first, last string
	statuses    map[string]int
	notes       []int
}

func (c *composer) tally(cs []graph.Claim) tally {
	t := tally{statuses: map[string]int{}}
	buyers := map[string]bool{}
	countries := map[string]bool{}
	for _, cl := range cs {
		if cl.Stance == records.StanceDenies || cl.Status == records.StatusRetracted {
			continue
		}
		buyers[cl.Object] = true
		if cc := c.countryOf(cl.Object); cc != "" {
			countries[countryName(cc)] = true
		}
		t.statuses[cl.Status]++
		if d := firstDate(cl); d != "" && (t.first == "" || d < t.first) {
			t.first = d
		}
		t.last = max(t.last, lastDate(cl))
		t.notes = mergeNotes(t.notes, c.cite(cl))
	}
	t.buyers, t.countries = len(buyers), slices.Sorted(maps.Keys(countries))
	return t
}

// tail words the dates and statuses of a tally.
func (t tally) tail() string {
	s := ""
	if t.first != "" {
		s += fmt.Sprintf(", in claims dated %s to %s", formatDate(t.first), formatDate(t.last))
	}
	var parts []string
	for _, st := range slices.Sorted(maps.Keys(t.statuses)) {
		parts = append(parts, fmt.Sprintf("%d %s", t.statuses[st], st))
	}
	n := 0
	for _, v := range t.statuses {
		n += v
	}
	if len(parts) == 1 {
		return s + fmt.Sprintf("; %s %s", plural(n, "the claim is", fmt.Sprintf("all %d claims are", n)), slices.Sorted(maps.Keys(t.statuses))[0])
	}
	return s + fmt.Sprintf("; of the %d claims, %s", n, join(parts))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (c *composer) buyerSummary(subject graph.Entity, supplies []graph.Claim, suppliers map[string]bool) []Statement {
	var names []string
	for _, id := range slices.Sorted(maps.Keys(suppliers)) {
		names = append(names, name(c.entities[id]))
	}
	var direct []graph.Claim
	for _, cl := range supplies {
		if !suppliers[cl.Object] {
			direct = append(direct, cl)
		}
	}
	t := c.tally(direct)
	if t.buyers == 0 {
		return nil
	}
	text := fmt.Sprintf("The sources cited here name %d %s of %s: %s", len(names), plural(len(names), "supplier", "suppliers"), name(subject), join(names))
	if subject.Schema == records.SchemaCountry {
		text = fmt.Sprintf("The sources cited here name %d %s to %d %s in %s: %s", len(names), plural(len(names), "supplier", "suppliers"),
			t.buyers, plural(t.buyers, "buyer", "buyers"), name(subject), join(names))
	}
	return []Statement{{Text: text + t.tail() + ".", Notes: t.notes}}
}

// timeline lists every dated claim the brief states, oldest first.
func (c *composer) timeline() []Event {
	var out []Event
	for _, id := range c.order {
		cl, ok := c.byID[id]
		if !ok || firstDate(cl) == "" {
			continue
		}
		for _, date := range []string{cl.Start, cl.End} {
			if date == "" {
				continue
			}
			what := fmt.Sprintf("%s %s %s", name(c.entities[cl.Subject]), relationWords(cl, date == cl.End && cl.Start != ""), name(c.entities[cl.Object]))
			out = append(out, Event{Date: date, Text: capital(what), Status: statusWords(cl), Notes: c.cite(cl)})
		}
	}
	slices.SortStableFunc(out, func(a, b Event) int { return cmp.Compare(a.Date, b.Date) })
	return out
}

func relationWords(cl graph.Claim, ending bool) string {
	w := strings.ToLower(strings.ReplaceAll(cl.Relation, "_", " "))
	if cl.Stage != "" {
		w += " (" + stageWords[cl.Stage] + ")"
	}
	if ending {
		w = "ends: " + w
	}
	if cl.Stance == records.StanceDenies {
		w = "denied: " + w
	}
	return "—" + w + "→"
}
