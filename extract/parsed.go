package extract

import (
	"regexp"
	"slices"
	"strings"

	countries "github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/nlp"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// VersionParsed names the extractor that reads dependency parses.
const VersionParsed = "report-parsed/1"

// Discourse is what a page has named so far, for the words that stand for
// a party named before them ("it", "the company", "the Israeli firm").
// Keep one per page and hand it every sentence in order.
type Discourse struct {
	vendor Mention // the company most recently named as a party
	has    bool
	// seller is the company a claim of the page last made a seller: what
	// a bare "the software" is the product of (the last company named
	// may be an operator).
	seller    Mention
	hasSeller bool
	bodies    []Mention // the public bodies the page named, in order
}

// lastSeller is the company whose product a bare "the software" is: the
// page's last seller, or else its last company when the industry list
// names it, a vendor (an operator the page named last sells nothing).
func (d *Discourse) lastSeller() (Mention, bool) {
	switch {
	case d == nil:
		return Mention{}, false
	case d.hasSeller && sure(d.seller):
		return d.seller, true
	case d.has && d.vendor.Listed:
		return d.vendor, true
	}
	return Mention{}, false
}

// Note records the companies an unparsed sentence names, for the words of
// later sentences that stand for them.
func (d *Discourse) Note(g *Gazetteer, sentence string) {
	for _, m := range g.Find(sentence) {
		if party(m) && hasSchema(m, records.SchemaCompany) {
			d.vendor, d.has = m, true
		}
	}
}

// mayClaim finds the words without which a sentence states no supply or
// ownership: a verb or noun of trade, custom or ownership. A sentence
// without one is not worth parsing.
var mayClaim = regexp.MustCompile(`(?i)\b(sol[dl]|sell|suppl|provid|deliver|export|ship|equip|furnish|licen[cs]|transfer|lease|install|buil[dt]|b[ou]ught|buy|purchas|acqui|procur|obtain|ordered|import|receiv|used\b|using\b|deploy|employ|contract|deal|tender|agreement|award|w[io]n\b|customer|client|buyer|user|subsidiar|own|parent|unit of|division|affiliate|sale|vendor|supplier|provider|venture|arm of|shareholder|stake|invest|spun|spin-off|running)`)

// MayClaim says whether a sentence has a word a claim needs.
func MayClaim(sentence string) bool { return mayClaim.MatchString(sentence) }

// The verbs of a supply, by which side is their subject: a seller sells,
// a buyer buys. Lemmas, as the parser gives them.
var (
	sellerVerbs = []string{"sell", "supply", "provide", "deliver", "export", "ship", "equip", "furnish", "license", "transfer", "lease", "install", "build", "offer", "market",
		"resell", "funnel", "route", "channel", "divert", "smuggle", "re-export", "deploy"}
	buyerVerbs = []string{"buy", "purchase", "acquire", "procure", "obtain", "order", "import", "receive", "spend", "pay"}
	// productNouns call a thing a vendor's: "a product of Gamma".
	productNouns = []string{"product", "tool", "software", "system", "platform", "suite", "creation", "brand"}
	// holdVerbs say their subject has, uses or brings in what they govern.
	holdVerbs = []string{"have", "use", "operate", "install", "deploy", "press", "roll", "run", "buy", "acquire", "build",
		"expand", "launch", "introduce", "procure", "adopt", "rely", "upgrade", "maintain", "go", "push", "move"}
	// thingNouns are what a bare "the …" calls a vendor's product named
	// before: "bought a version of the software".
	thingNouns = []string{"software", "spyware", "tool", "equipment", "technology", "system", "device", "product", "platform", "malware", "kit", "gear", "program", "programme", "suite"}
	// businessNouns are what a company sells when it sells itself or part
	// of itself.
	businessNouns = []string{"unit", "business", "division", "subsidiary", "stake", "company", "arm", "operation", "share", "majority", "firm"}
	// entityNouns name a company by its corporate form: "its legal
	// entity", "the company".
	entityNouns = []string{"entity", "company", "firm", "corporation"}
	// dealVerbs and dealNouns make a contract between a buyer and a vendor.
	dealVerbs = []string{"win", "sign", "award", "have", "hold", "negotiate", "broker", "conclude", "seal", "strike", "reach", "finalise", "finalize", "agree"}
	dealNouns = []string{"contract", "deal", "tender", "agreement", "order", "purchase", "licence", "license"}
	// winVerbs say their subject got a deal: "won a contract".
	winVerbs = []string{"win", "sign", "secure", "land", "clinch", "obtain", "get", "receive"}
	// hireVerbs have a buyer engage a vendor: "Venezuela hired ZTE".
	hireVerbs = []string{"hire", "commission", "engage", "contract", "select", "choose", "retain", "pick"}
	// useVerbs say a buyer had a vendor's kit without saying how it got
	// it: a supply, at lower confidence.
	useVerbs = []string{"use", "employ", "operate"}
	// madeVerbs tie a product to its maker: "Pegasus, made by NSO".
	madeVerbs = []string{"make", "produce", "develop", "build", "manufacture", "create", "design", "sell", "supply", "provide", "market"}
	// childNouns and parentNouns stand in an apposition for ownership:
	// "X, a subsidiary of Y", "Y, the parent of X".
	childNouns  = []string{"subsidiary", "unit", "division", "arm", "affiliate", "branch", "offshoot", "spin-off", "spinoff", "venture", "part"}
	parentNouns = []string{"parent", "owner", "shareholder"}
	// companyWords are what a definite description of a company is made of.
	companyWords = []string{"company", "firm", "vendor", "supplier", "group", "manufacturer", "maker", "developer", "contractor", "seller", "provider", "corporation", "outfit", "business"}
	// bodyNouns are what "the …" calls a body named before: "the bureau".
	bodyNouns = []string{"bureau", "agency", "ministry", "department", "directorate", "service", "office", "commission", "authority", "police", "regulator"}
	// bodyWords name a country's state when a demonym goes with them:
	// "the Egyptian authorities".
	bodyWords = []string{"authority", "authorities", "government", "regime", "state", "administration", "body"}
	// serviceWords name one of a state's services with a demonym: "Russian
	// intelligence", "China's military"; a body of that country, named so.
	serviceWords = []string{"intelligence", "military", "army", "police", "navy", "security"}
	// agencyNouns are what a state's bodies are called in general:
	// "police forces in Kenya and Uganda", "the armed forces of Egypt".
	agencyNouns = append([]string{"force", "agency", "service", "ministry", "department", "body", "unit", "services", "forces"}, serviceWords...)
	// staffWords stand for their employer: "employees of Area SpA".
	staffWords = []string{"employee", "engineer", "technician", "staff", "worker", "specialist", "team"}
	// intentVerbs make the verb they govern an intention or an end:
	// "planned to buy", "sought to sell", "would stop selling".
	intentVerbs = []string{"prepare", "plan", "seek", "try", "attempt", "hope", "want", "intend", "consider", "aim", "negotiate", "offer", "propose", "stop", "cease", "halt", "suspend"}
	// ownAssets are what a company uses of its own, which another using
	// has not bought from it: "operate MPT's network".
	ownAssets = []string{"network", "infrastructure", "website", "site", "facility", "office", "building", "premise", "account", "brand"}
	// accessNouns are bought for a thing: "licences for Orrin's software".
	accessNouns = []string{"licence", "license", "subscription", "copy", "access", "right", "upgrade", "seat"}
	// stakeNouns are a part of a company one holds.
	stakeNouns = []string{"stake", "share", "shareholding", "holding"} // not "interest": "took an interest in"
	// stakeVerbs hold, take or buy one.
	stakeVerbs = []string{"hold", "own", "have", "take", "buy", "acquire", "purchase", "increase", "raise", "keep", "retain"}
	// intentNouns name a sale or a purchase tried, not made: "an effort
	// to sell".
	intentNouns = []string{"effort", "attempt", "bid", "plan", "offer", "proposal", "push", "drive", "scheme"}
	// speculation is a modal that makes a verb a guess: "may have sold".
	speculation = []string{"may", "might", "could"}
	// future makes a verb a future or a condition: "will win", "would be".
	future = []string{"will", "would", "shall", "'ll"}
)

// parsed is one sentence being read: its tokens, where each starts and
// ends in the text, and the mention each token is part of.
type parsed struct {
	g          *Gazetteer
	s          nlp.Sentence
	text       string
	start, end []int
	mentionOf  []int // index in ms, or -1
	ms         []Mention
	// weak marks mentions only the parser's entity recogniser found:
	// good enough for a seller named in a seller's place, not for an
	// acquisition, and a buyer only when its name says it is a body.
	weak map[int]bool
	// guessed are names taken for a company only because they stand
	// where a maker's thing stands ("X was used by the police"): X may
	// be the product. A claim on one is a suggestion.
	guessed map[string]bool
	// madeBy are the makers that stand in a sentence for their product
	// ("Turkey bought FinSpy"), by maker name, with the product's name.
	madeBy map[string]string
	// recalled are the makers a bare "the software" stood for, with the
	// words: a claim on one is less sure.
	recalled map[string]string
	d        *Discourse
}

// ExtractParsed finds the claims of a parsed sentence from its grammar:
// who is the subject of a verb of selling or buying, who the object, who
// stands after "to", "from", "by" or "through", and what an apposition
// says of a name. d carries the page's parties from sentence to sentence.
func (g *Gazetteer) ExtractParsed(s nlp.Sentence, d *Discourse) []Found {
	p := g.read(s, d)
	var out []Found
	for i, t := range s {
		switch {
		case t.POS == "VERB" || t.POS == "AUX" && t.Dep == "ROOT":
			out = append(out, p.verb(i)...)
		case t.POS == "NOUN" || t.POS == "PROPN":
			out = append(out, p.apposition(i)...)
			out = append(out, p.customers(i)...)
			out = append(out, p.nominal(i)...)
		}
	}
	if len(out) == 0 {
		out = p.namedTogether()
	}
	// The same claim read twice (from a verb and an apposition) is kept once.
	var kept []Found
	for _, f := range out {
		if !slices.ContainsFunc(kept, func(k Found) bool { return k.String() == f.String() }) {
			decorate(p.text, &f)
			kept = append(kept, f)
		}
	}
	// The page's last company: one the gazetteer knows or a legal form
	// marks, or one a claim of this sentence made a seller (a name the
	// parser merely recognised may be a newspaper's).
	for k, m := range p.ms {
		if hasSchema(m, records.SchemaCompany) && (!p.weak[k] || p.acts(k)) {
			d.vendor, d.has = m, true
		}
	}
	for _, f := range kept {
		if f.Relation == records.RelSupplied && !f.Denies {
			d.vendor, d.has = f.Subject, true
			d.seller, d.hasSeller = f.Subject, true
		}
	}
	// "Tallis Vision makes phone-extraction software": a maker is a
	// seller of what it makes.
	for i, t := range s {
		if t.POS != "VERB" || !slices.Contains(madeVerbs, strings.ToLower(t.Lemma)) || p.negated(i) {
			continue
		}
		for _, sub := range p.children(i, "nsubj") {
			if k := p.mentionOf[sub]; k >= 0 && sellerOK(p.ms[k]) && sure(p.ms[k]) {
				d.seller, d.hasSeller = p.ms[k], true
			}
		}
	}
	for k, m := range p.ms {
		if hasSchema(m, records.SchemaPublicBody) && (!p.weak[k] || bodyName.MatchString(m.Text)) {
			d.bodies = append(d.bodies, m)
		}
	}
	return kept
}

func (g *Gazetteer) read(s nlp.Sentence, d *Discourse) *parsed {
	// The small pipeline's lemma of "installed" is "instal"; every rule
	// reads lemmas, so it is mended once, here, on a copy (the parse is
	// the caller's), as is an apposition after a colon.
	s = slices.Clone(s)
	for i := range s {
		if strings.EqualFold(s[i].Lemma, "instal") {
			s[i].Lemma = "install"
		}
		// A list after a colon elaborates the clause; the parser hangs it
		// on some noun as an apposition ("supplied such centres to the
		// KNB: Verint and NICE"), which would rename that noun.
		if h := s[i].Head; s[i].Dep == "appos" && h < i && slices.ContainsFunc(s[h:i], func(t nlp.Token) bool { return t.Text == ":" }) {
			s[i].Dep = "list" // a label no rule reads
		}
	}
	p := &parsed{g: g, s: s, d: d, text: s.Text(), mentionOf: make([]int, len(s)), weak: map[int]bool{}, guessed: map[string]bool{}, madeBy: map[string]string{}, recalled: map[string]string{}}
	p.start, p.end = offsets(s)
	for i := range s {
		p.mentionOf[i] = -1
	}
	for _, m := range g.Find(p.text) {
		if !party(m) || Source(p.text, m) {
			continue
		}
		p.add(m)
	}
	// Organisations the parser recognises and the gazetteer does not
	// know: a run of ORG tokens, without a leading "the".
	for i := 0; i < len(s); i++ {
		if s[i].Ent != "ORG" || s[i].IOB != "B" {
			continue
		}
		j := i + 1
		for j < len(s) && s[j].Ent == "ORG" && s[j].IOB == "I" {
			j++
		}
		// "Telecommunication Company of | Iran": the recogniser often
		// stops at the place a name ends with.
		for j+1 < len(s) && strings.EqualFold(s[j-1].Text, "of") && s[j].POS == "PROPN" {
			j++
		}
		a := i
		for a < j && (strings.EqualFold(s[a].Text, "the") || s[a].POS == "DET") {
			a++
		}
		// "… Corporation (CEIEC": the acronym in brackets is another
		// name of the same, not part of this one.
		if k := slices.IndexFunc(s[a:j], func(t nlp.Token) bool { return t.Text == "(" }); k > 0 {
			j = a + k
		}
		for j > a && (s[j-1].POS == "PART" || s[j-1].POS == "PUNCT") {
			j--
		}
		if a >= j {
			continue
		}
		text := p.text[p.start[a]:p.end[j-1]]
		// "the Hong Kong Police Force" is a body, and "China National
		// Electronics Import and Export Corporation" a company, not the
		// place their names begin with nor a piece a pattern took.
		if covered := slices.ContainsFunc(p.mentionOf[a:j], func(k int) bool { return k >= 0 }); covered {
			if k := p.mentionOf[a]; k >= 0 && p.ms[k].Start == p.start[a] && p.ms[k].End == p.end[j-1] {
				i = j - 1
				continue // the same name, found already
			}
			schema := ""
			switch {
			case orgTail.MatchString(s[j-1].Text): // "Signum Intelligence Ltd" is a company
				schema = records.SchemaCompany
			case bodyName.MatchString(text):
				schema = records.SchemaPublicBody
			}
			inside := func(k int) bool {
				return k >= 0 && !hasSchema(p.ms[k], records.SchemaCountry) && !(p.ms[k].New && p.ms[k].Start >= p.start[a] && p.ms[k].End <= p.end[j-1])
			}
			if schema == "" || slices.ContainsFunc(p.mentionOf[a:j], inside) || p.start[a] > 0 && a > 0 && p.mentionOf[a-1] >= 0 && p.mentionOf[a-1] == p.mentionOf[a] {
				i = j - 1
				continue
			}
			of := ""
			for x := a; x < j; x++ {
				if k := p.mentionOf[x]; k >= 0 && hasSchema(p.ms[k], records.SchemaCountry) && len(p.ms[k].Candidates) == 1 && schema == records.SchemaPublicBody {
					of = p.ms[k].Candidates[0].ID // "Sudan's National Intelligence and Security Services"
				}
				p.mentionOf[x] = -1
			}
			p.add(Mention{Start: p.start[a], End: p.end[j-1], Text: text, New: true, Candidates: []Entry{{Schema: schema, Name: text}}, Of: of})
			i = j - 1
			continue
		}
		m := Mention{Start: p.start[a], End: p.end[j-1], Text: text, New: true, Candidates: []Entry{{Schema: records.SchemaCompany, Name: text}}}
		if bodyName.MatchString(text) && !orgTail.MatchString(lastWord(text)) {
			// "the Directorate General of Forces Intelligence" is a body,
			// never the maker of what was bought.
			m.Candidates[0].Schema = records.SchemaPublicBody
		}
		if party(m) && !allLower(text) && !Source(p.text, m) {
			// "Positive Technologies, a cybersecurity firm": a name the
			// sentence calls a company is one.
			strong := false
			for _, a := range p.children(j-1, "appos") {
				strong = strong || slices.Contains(companyWords, strings.ToLower(p.s[a].Lemma))
			}
			p.weak[len(p.ms)] = !strong
			p.add(m)
		}
		i = j - 1
	}
	return p
}

// acts says whether mention k is the subject of a verb: a name the
// recogniser found that does something is a party the page speaks of, and
// the likeliest for a later "the company".
func (p *parsed) acts(k int) bool {
	for i, t := range p.s {
		if p.mentionOf[i] == k && (t.Dep == "nsubj" || t.Dep == "nsubjpass") && p.s[t.Head].POS == "VERB" {
			return true
		}
	}
	return false
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func allLower(s string) bool { return strings.ToLower(s) == s }

// add records a mention and marks its tokens.
func (p *parsed) add(m Mention) {
	k := len(p.ms)
	p.ms = append(p.ms, m)
	for i := range p.s {
		if p.start[i] < m.End && m.Start < p.end[i] {
			p.mentionOf[i] = k
		}
	}
}

// children returns the tokens that depend on token i with one of deps.
func (p *parsed) children(i int, deps ...string) []int {
	var out []int
	for j, t := range p.s {
		if j != i && t.Head == i && slices.Contains(deps, t.Dep) {
			out = append(out, j)
		}
	}
	return out
}

// hasChild says whether token i has a child of relation dep that is the
// word w: "took over" (prt), "its parent" (poss).
func (p *parsed) hasChild(i int, dep, w string) bool {
	return slices.ContainsFunc(p.children(i, dep), func(x int) bool { return strings.EqualFold(p.s[x].Text, w) })
}

// prepObjects returns the objects of token i's prepositions among preps
// ("sold to Egypt": to → Egypt), lists included.
func (p *parsed) prepObjects(i int, preps ...string) []int {
	var out []int
	for _, pr := range p.children(i, "prep", "dative", "agent") {
		if !slices.Contains(preps, strings.ToLower(p.s[pr].Text)) {
			continue
		}
		out = append(out, p.children(pr, "pobj")...)
		// "to the KNB, and to the SNB": a preposition joined to this one.
		for _, c := range p.children(pr, "conj") {
			if strings.EqualFold(p.s[c].Text, p.s[pr].Text) {
				out = append(out, p.children(c, "pobj")...)
			}
		}
	}
	return out
}

// withConj adds the tokens joined to each by "and", "or" and commas.
func (p *parsed) withConj(ts []int) []int {
	out := slices.Clone(ts)
	for k := 0; k < len(out); k++ {
		for _, c := range p.children(out[k], "conj", "appos") {
			// A semicolon ends a list's item: what follows it is no
			// part of the same list.
			semicolon := slices.ContainsFunc(p.s[min(c, out[k]):max(c, out[k])], func(t nlp.Token) bool { return t.Text == ";" })
			if !slices.Contains(out, c) && !semicolon {
				out = append(out, c)
			}
		}
	}
	return out
}

// party returns the mention a token stands for as a seller (vendor) or a
// buyer: the mention it is part of; a mention that owns it ("NSO's
// Pegasus", "the Sandvine devices"); a country's state by its demonym
// ("the Egyptian authorities"); or, for a seller, the page's last company
// when the token is "it" or "the company". ok is false when it stands for
// none.
func (p *parsed) party(i int, seller bool) (Mention, string, bool) {
	t := p.s[i]
	lemma := strings.ToLower(t.Lemma)
	if k := p.mentionOf[i]; k >= 0 && !seller && p.weak[k] {
		if b, ok := p.bodyByAcronym(p.ms[k].Text); ok {
			return b, "the body named before: " + p.ms[k].Text, true
		}
	}
	if k := p.mentionOf[i]; k >= 0 && (seller || p.buyer(k)) {
		// "Turkey's government" reads as the country's name; it is its
		// government.
		if m := p.ms[k]; !seller && slices.Contains(bodyWords, lemma) && len(m.Candidates) == 1 && m.Candidates[0].Schema == records.SchemaCountry {
			return p.government(m.Candidates[0], m.Text), "the state by its name: " + m.Text, true
		}
		return p.ms[k], "", true
	}
	if !seller && slices.Contains(bodyWords, lemma) && (lemma != "body" || p.modifiedBy(i, stateKinds...)) {
		// "the South Sudanese authorities": the modifiers before the
		// noun, read together, name the state.
		mods := p.children(i, "amod", "compound", "poss")
		if len(mods) > 0 {
			from := p.leftEdge(slices.Min(mods))
			phrase := p.text[p.start[from]:p.end[i]]
			if m, ok := p.stateOf(p.text[p.start[from]:p.end[slices.Max(mods)]]); ok {
				return m, "the state by its demonym: " + phrase, true
			}
			// "Chinese public security bodies": the demonym first, the
			// kind of body after it.
			if c := slices.Min(mods); p.s[c].Dep == "amod" {
				if m, ok := p.stateOf(p.text[p.start[p.leftEdge(c)]:p.end[c]]); ok {
					return m, "the state by its demonym: " + phrase, true
				}
			}
			for _, c := range mods {
				if k := p.mentionOf[c]; k >= 0 && hasSchema(p.ms[k], records.SchemaCountry) {
					return p.government(p.ms[k].Candidates[0], phrase), "the state by its name: " + phrase, true
				}
			}
		}
	}
	if !seller && slices.Contains(serviceWords, lemma) {
		for _, c := range p.children(i, "amod", "poss", "compound") {
			from := min(p.leftEdge(c), i) // "Hong Kong police", not "Kong police"
			_, demonym := p.stateOf(p.text[p.start[c]:p.end[c]])
			if k := p.mentionOf[c]; demonym || k >= 0 && hasSchema(p.ms[k], records.SchemaCountry) {
				text := p.text[p.start[from]:p.end[i]]
				return Mention{Start: p.start[from], End: p.end[i], Text: text, New: true,
					Candidates: []Entry{{Schema: records.SchemaPublicBody, Name: text}}}, "a state's service by its demonym: " + text, true
			}
		}
	}
	if seller && slices.Contains(staffWords, lemma) {
		for _, o := range p.prepObjects(i, "of", "from", "at") {
			if k := p.mentionOf[o]; k >= 0 && sellerOK(p.ms[k]) {
				return p.ms[k], "its staff: " + t.Text + " of " + p.ms[k].Text, true
			}
		}
	}
	for _, c := range p.children(i, "poss", "compound") {
		if slices.Contains(companyWords, lemma) && t.Dep == "appos" {
			break // "Circles, an NSO Group company": its owner, not the party
		}
		if k := p.mentionOf[c]; k >= 0 && (!seller || vendorLike(p.ms[k]) || p.ms[k].New) {
			return p.ms[k], "", true
		}
	}
	if seller && slices.Contains(companyWords, lemma) {
		// "from the Israeli company PicSix": the name in apposition, or
		// the name right after the noun wherever the parse hung it.
		for _, c := range append(p.children(i, "appos"), i+1) {
			if c < len(p.s) && p.mentionOf[c] >= 0 && sellerOK(p.ms[p.mentionOf[c]]) {
				return p.ms[p.mentionOf[c]], "", true
			}
		}
		// "The third company, Noldus, sold …": a proper name in
		// apposition that nothing recognised is the company's name; a
		// person's ("the contractor, John Smith") names no company, nor
		// does the description then stand for the page's.
		for _, c := range p.children(i, "appos") {
			if p.mentionOf[c] >= 0 || p.s[c].POS != "PROPN" {
				continue
			}
			if p.s[c].Ent == "PERSON" && len(p.children(c, "compound")) > 0 {
				return Mention{}, "", false
			}
			if m, ok := p.properName(c); ok {
				return m, "a proper name in a seller's place", true
			}
		}
	}
	// A proper name in a seller's place that nothing recognised: "the
	// Anglo-German Gamma Group".
	if seller && (t.Ent == "" || orgTail.MatchString(t.Text)) {
		if m, ok := p.properName(i); ok {
			return m, "a proper name in a seller's place", true
		}
	}
	// A region or city no list knows, as a buyer: "North
	// Rhine-Westphalia has been using …".
	if !seller && t.Ent == "GPE" && p.mentionOf[i] < 0 && t.POS == "PROPN" && (t.Dep == "nsubj" || t.Dep == "nsubjpass") {
		if m, ok := p.place(i); ok {
			return m, "a place's authority: " + m.Text, true
		}
	}
	// "the bureau", "the ministry": the body the page last named so.
	if !seller && p.d != nil && t.POS == "NOUN" && slices.Contains(bodyNouns, lemma) && len(p.children(i, "det")) > 0 &&
		strings.EqualFold(p.s[p.children(i, "det")[0]].Text, "the") {
		for k := len(p.d.bodies) - 1; k >= 0; k-- {
			if b := p.d.bodies[k]; strings.Contains(strings.ToLower(b.Text), lemma) {
				return b, "the body named before: the " + t.Text, true
			}
		}
	}
	if seller && (lemma == "it" || lemma == "its") && t.POS == "PRON" {
		// "Emails leaked from Hacking Team showed that it and NICE had
		// sold …": a company the sentence named before the pronoun comes
		// before the page's.
		if m, ok := p.antecedent(i, nil); ok {
			return m, "the party named before: " + t.Text, true
		}
	}
	// "Verint, the surveillance company, …": a description in apposition
	// describes the name it hangs on, which is read as itself.
	described := t.POS == "NOUN" && t.Dep != "appos" && slices.Contains(companyWords, lemma) && len(p.children(i, "det")) > 0 &&
		strings.EqualFold(p.s[p.children(i, "det")[0]].Text, "the")
	if seller && described {
		// "Emails leaked from Hacking Team showed that the Milan-based
		// company had sold …": as for "it", a company the sentence named
		// before the description comes before the page's; not the subject
		// of a clause the description is said in ("Telecom Egypt said the
		// company had supplied …" is of another company).
		if m, ok := p.antecedent(i, p.speakers(i)); ok {
			return m, "the party named before: " + t.Text, true
		}
	}
	if seller && p.d != nil && p.d.has && (((lemma == "it" || lemma == "its") && t.POS == "PRON") || described) {
		return p.d.vendor, "the party named before: " + t.Text, true
	}
	return Mention{}, "", false
}

// properName makes a company of a proper noun and the proper nouns that
// compound it, when nothing else named them and they are no place.
func (p *parsed) properName(i int) (Mention, bool) {
	t := p.s[i]
	if t.POS != "PROPN" || p.mentionOf[i] >= 0 || t.Ent == "GPE" || t.Ent == "NORP" || t.Ent == "DATE" || t.Ent == "LOC" {
		return Mention{}, false
	}
	from := i
	for _, c := range p.children(i, "compound", "nmod") {
		// "US Immigration and Customs Enforcement": the parser may hang
		// the name's first words on its last, and the recogniser may
		// have taken some of them alone.
		if k := p.mentionOf[c]; p.s[c].POS == "PROPN" && (k < 0 || p.weak[k]) {
			from = min(from, p.leftEdge(c))
		}
	}
	text := p.text[p.start[from]:p.end[i]]
	m := Mention{Start: p.start[from], End: p.end[i], Text: text, New: true, Candidates: []Entry{{Schema: records.SchemaCompany, Name: text}}}
	if bodyName.MatchString(lastWord(text)) {
		m.Candidates[0].Schema = records.SchemaPublicBody // "… Customs Enforcement"
	}
	if !party(m) || len(p.g.Find(text)) > 0 {
		return Mention{}, false
	}
	p.weak[len(p.ms)] = true
	p.add(m)
	return m, true
}

// leftEdge is the first token of i's subtree: "South" of "South
// Sudanese".
func (p *parsed) leftEdge(i int) int {
	first := i
	for _, c := range p.children(i, "amod", "compound", "poss", "nmod", "det", "case") {
		first = min(first, p.leftEdge(c))
	}
	return first
}

// state is the government (or else the country) a demonym or a country's
// name stands for.
func (p *parsed) state(i int) (Mention, bool) {
	k := p.mentionOf[i]
	var country Entry
	if k >= 0 && hasSchema(p.ms[k], records.SchemaCountry) {
		country = p.ms[k].Candidates[0]
	} else {
		// "South Sudanese" is one demonym: the token with its own
		// compounds.
		from := i
		for _, c := range p.children(i, "compound") {
			from = min(from, c)
		}
		return p.stateOf(p.text[p.start[from]:p.end[i]])
	}
	return p.government(country, p.s[i].Text), true
}

// place is the state of a country, or the authority of a smaller place
// the parser knows for one ("Xinjiang's Pishan County"), that a token
// names.
func (p *parsed) place(i int) (Mention, bool) {
	if m, ok := p.state(i); ok {
		return m, true
	}
	if p.s[i].Ent != "GPE" || p.mentionOf[i] >= 0 {
		return Mention{}, false
	}
	from, to := i, i
	for from > 0 && p.s[from-1].Ent == "GPE" && p.s[from-1].IOB == "I" || from > 0 && p.s[from].IOB == "I" {
		from--
	}
	for to+1 < len(p.s) && p.s[to+1].Ent == "GPE" && p.s[to+1].IOB == "I" {
		to++
	}
	text := p.text[p.start[from]:p.end[to]]
	m := Mention{Start: p.start[from], End: p.end[to], Text: text, New: true, Candidates: []Entry{{Schema: records.SchemaPublicBody, Name: text}}}
	p.add(m)
	return m, true
}

// stateOf is the state a phrase names when the phrase is one country's
// name or demonym and nothing else.
func (p *parsed) stateOf(phrase string) (Mention, bool) {
	ms := p.g.Find(phrase)
	if len(ms) != 1 || len(ms[0].Candidates) != 1 || ms[0].Candidates[0].Schema != records.SchemaCountry ||
		len(strings.TrimSpace(phrase)) > len(ms[0].Text)+2 {
		return Mention{}, false
	}
	return p.government(ms[0].Candidates[0], phrase), true
}

// government is the gazetteer's body for a country's government, or the
// country itself when it has none.
func (p *parsed) government(country Entry, text string) Mention {
	names := []string{country.Name}
	if c, ok := countries.Lookup(strings.TrimPrefix(country.ID, "country:")); ok {
		names = append(names, c.Names()...)
	}
	for _, n := range names {
		for _, m := range p.g.Find("Government of " + n) {
			for _, c := range m.Candidates {
				if c.Schema == records.SchemaPublicBody {
					return Mention{Start: m.Start, End: m.End, Text: text, Candidates: []Entry{c}, Of: country.ID}
				}
			}
		}
	}
	return Mention{Text: text, Candidates: []Entry{country}}
}

// productMaker is the maker of a product the gazetteer knows with one
// maker, standing where the product was named.
func (p *parsed) productMaker(m Mention) (Mention, bool) {
	if len(m.Candidates) != 1 || m.Candidates[0].Schema != "Product" || len(m.Candidates[0].Makers) != 1 {
		return Mention{}, false
	}
	maker := m.Candidates[0].Makers[0]
	p.madeBy[maker.Name] = m.Text
	return Mention{Start: m.Start, End: m.End, Text: maker.Name, Candidates: []Entry{maker}, New: maker.ID == "", Listed: maker.ID == ""}, true
}

// makerOf is the vendor of the thing token i names: its owner ("NSO's
// Pegasus"), its maker ("software made by NSO", "equipment from Huawei",
// "Pegasus", whose maker the gazetteer knows).
func (p *parsed) makerOf(i int) []Mention {
	var out []Mention
	if k := p.mentionOf[i]; k >= 0 {
		if m, ok := p.productMaker(p.ms[k]); ok {
			return []Mention{m}
		}
	}
	// "Sandvine offers PacketLogic, and Telecom Egypt bought it": "it"
	// is the product the sentence named before it.
	if p.pronoun(i) {
		for j := i - 1; j >= 0; j-- {
			if k := p.mentionOf[j]; k >= 0 && hasSchema(p.ms[k], "Product") {
				if m, ok := p.productMaker(p.ms[k]); ok {
					return []Mention{m}
				}
				break
			}
		}
	}
	// A name in apposition to a body names the body, not the thing:
	// "a system …, the Directorate General of Forces Intelligence (DGFI)".
	if h := p.s[i].Head; p.s[i].Dep == "appos" && p.mentionOf[h] >= 0 && hasSchema(p.ms[p.mentionOf[h]], records.SchemaPublicBody) {
		return nil
	}
	// The thing is its maker when it is the maker's name ("Cellebrite
	// was used by …"); a common noun the recogniser took for a name
	// ("Spyware developed by …") is not.
	if k := p.mentionOf[i]; k >= 0 && (!p.weak[k] || p.s[i].POS == "PROPN") {
		if m := p.ms[k]; sellerOK(m) {
			if p.weak[k] || m.New && !resolve.HasLegalForm(m.Text) {
				p.guessed[m.Text] = true // a name the page may give its product
			}
			return []Mention{m}
		}
	}
	if m, ok := p.properName(i); ok {
		// "Cellebrite was used by …": the company, or its product.
		p.guessed[m.Text] = true
		return []Mention{m}
	}
	for _, c := range p.children(i, "poss", "compound", "nmod", "amod") {
		if k := p.mentionOf[c]; k >= 0 && (vendorLike(p.ms[k]) || p.ms[k].New) {
			if m, ok := p.productMaker(p.ms[k]); ok {
				out = append(out, m) // "StingRay equipment": its maker's
			} else {
				out = append(out, p.ms[k])
			}
		} else if strings.EqualFold(p.s[c].Lemma, "base") {
			// "a Palantir-based system".
			for _, b := range p.children(c, "npadvmod", "compound", "nmod") {
				if k := p.mentionOf[b]; k >= 0 && sellerOK(p.ms[k]) {
					out = append(out, p.ms[k])
				}
			}
		} else if k < 0 && p.s[c].Dep == "poss" {
			// "its products", "the company's products".
			if m, _, ok := p.party(c, true); ok && sellerOK(m) {
				out = append(out, m)
			}
		}
	}
	// "FinSpy, a product of the Gamma Group".
	for _, a := range p.children(i, "appos") {
		if slices.Contains(productNouns, strings.ToLower(p.s[a].Lemma)) {
			for _, o := range p.withConj(p.prepObjects(a, "of", "by", "from")) {
				if m, _, ok := p.party(o, true); ok && sellerOK(m) {
					out = append(out, m)
				}
			}
		}
	}
	for _, a := range p.children(i, "acl", "relcl") {
		if slices.Contains(madeVerbs, strings.ToLower(p.s[a].Lemma)) {
			for _, o := range p.withConj(p.prepObjects(a, "by")) {
				if m, _, ok := p.party(o, true); ok {
					out = append(out, m)
				}
			}
		}
	}
	for _, o := range p.withConj(p.prepObjects(i, "from", "by", "of")) {
		if m, _, ok := p.party(o, true); ok && (vendorLike(m) || m.New) {
			out = append(out, m)
		}
	}
	// "the software", "the equipment", bare: the thing of the company the
	// page last made a seller.
	t := p.s[i]
	if det := p.children(i, "det"); len(out) == 0 && t.POS == "NOUN" && slices.Contains(thingNouns, strings.ToLower(t.Lemma)) &&
		len(det) == 1 && strings.EqualFold(p.s[det[0]].Text, "the") && len(p.children(i, "poss", "compound", "amod", "nmod", "prep", "acl", "relcl")) == 0 {
		if seller, ok := p.d.lastSeller(); ok {
			p.recalled[seller.Text] = "the " + t.Text
			out = append(out, seller)
		}
	}
	return out
}

// verb reads the claims a verb of selling, buying, using or owning makes.
func (p *parsed) verb(v int) []Found {
	t := p.s[v]
	lemma := strings.ToLower(t.Lemma)
	switch {
	case lemma == "take" && p.hasChild(v, "prt", "over"):
		lemma = "acquire" // "took over Kestrel", "was taken over by Orrin"
	case lemma == "roll" && p.hasChild(v, "prt", "out"):
		lemma = "deploy" // "the police rolled out a system from Orrin"
	}
	// Passive: "was sold", or a participle hanging on a noun without a
	// subject of its own ("spyware sold to Egypt").
	passive := len(p.children(v, "auxpass", "nsubjpass")) > 0 || t.Dep == "acomp" && len(p.children(v, "agent")) > 0 ||
		t.Tag == "VBN" && (t.Dep == "acl" || t.Dep == "relcl") && len(p.children(v, "nsubj", "aux")) == 0 ||
		t.Tag == "VBN" && len(p.children(v, "agent")) > 0 && len(p.children(v, "nsubj", "aux")) == 0
	subjects := p.withConj(p.children(v, "nsubj"))
	if passive {
		subjects = p.withConj(p.children(v, "nsubjpass"))
		if len(subjects) == 0 && t.Dep == "acomp" {
			// "Cellebrite has been majority-owned by Sun": the
			// participle is the complement of "been".
			subjects = p.withConj(p.children(t.Head, "nsubj"))
		}
		if len(subjects) == 0 && (t.Dep == "acl" || t.Dep == "relcl") {
			subjects = []int{t.Head}
		}
		if len(subjects) == 0 {
			// "Cellebrite, headquartered in Petah Tikva and majority-owned
			// by Sun": a participle the parse hung elsewhere speaks of the
			// name its phrase hangs on.
			if h, ok := p.namedAbove(v); ok {
				subjects = []int{h}
			}
		}
	}
	// "Amesys, the company that sold a system to Libya": a relative
	// pronoun stands for what its clause hangs on, and that for the name
	// it is an apposition of.
	for k, sub := range subjects {
		clause := v // "which is majority-owned by": the clause is the verb's head
		if t.Dep == "acomp" && p.s[t.Head].Dep == "relcl" {
			clause = t.Head
		}
		if (p.s[clause].Dep == "relcl" || p.s[clause].Dep == "acl") && slices.Contains([]string{"that", "which", "who"}, strings.ToLower(p.s[sub].Text)) {
			h := p.s[clause].Head
			if p.s[h].Dep == "appos" && p.mentionOf[h] < 0 {
				h = p.s[h].Head
			}
			subjects[k] = h
		}
	}
	if len(subjects) == 0 && (t.Dep == "conj" || t.Dep == "xcomp") {
		// "Nexa bought CEREBRO and sold it to Egypt", "Sandvine denied
		// selling …": the verb shares its head's subject.
		subjects = p.withConj(p.children(t.Head, "nsubj", "nsubjpass"))
	}
	if len(subjects) == 0 && !passive && slices.Contains(sellerVerbs, lemma) &&
		(len(p.prepObjects(v, "to", "for")) > 0 || slices.ContainsFunc(p.children(v, "dobj", "dative"), p.isState)) {
		// "Orrin won a contract to supply cameras to the police", "signed
		// a deal to provide the police with …": who won the deal supplies
		// the buyer the verb names (a place the deal is in is read as
		// such elsewhere).
		if w, ok := p.dealWon(v); ok {
			subjects = p.withConj(p.children(w, "nsubj"))
		}
	}
	objects := p.withConj(p.children(v, "dobj"))
	if len(objects) == 0 {
		// "had been buying and using Cellebrite's technology": the
		// first verb shares the object of the one joined to it.
		for _, c := range p.children(v, "conj") {
			if p.s[c].POS == "VERB" && len(p.children(c, "nsubj", "nsubjpass")) == 0 {
				objects = append(objects, p.withConj(p.children(c, "dobj"))...)
			}
		}
	}
	agents := p.withConj(p.prepObjects(v, "by"))
	if !passive {
		agents = nil
	} else if len(agents) == 0 {
		// "sold to Bahrain by Siemens AG": the parser may hang the agent
		// on the verb's last object.
		for _, o := range p.prepObjects(v, "to", "for") {
			agents = append(agents, p.withConj(p.prepObjects(o, "by"))...)
		}
	}
	var out []Found
	base := Found{Confidence: 0.75}
	if p.negated(v) {
		base.Denies = true
		base.Reasons = append(base.Reasons, "denied or negated")
	}
	if h := t.Head; t.Dep == "xcomp" && slices.Contains(intentVerbs, strings.ToLower(p.s[h].Lemma)) ||
		t.Dep == "acl" && slices.Contains(intentNouns, strings.ToLower(p.s[h].Lemma)) {
		// "preparing to buy more licences", "an effort to sell": intended,
		// not made.
		notMade(&base, p.s[h].Text+" to "+t.Text)
	}
	if p.hasAux(v, speculation...) {
		// "may have sold" is a guess, not a report: a suggestion at most.
		base.Confidence -= 0.45
		base.Reasons = append(base.Reasons, "a guess: "+p.s[p.children(v, "aux")[0]].Text+" "+t.Text)
	}
	claim := func(rel string, subj, obj Mention, conf float64, reasons ...string) {
		if subj.Text == obj.Text || sameEntity(subj, obj) || resolve.Acronym(subj.Text, obj.Text) {
			return // "Immigration and Customs Enforcement (ICE)" is one party
		}
		f := base
		f.Relation, f.Subject, f.Object = rel, subj, obj
		f.Confidence += conf
		f.Reasons = append(slices.Clone(base.Reasons), reasons...)
		if subj.New && !subj.Listed || obj.New && !obj.Listed {
			f.Confidence -= 0.05
			f.Reasons = append(f.Reasons, "a party the gazetteer does not know")
		}
		if p.guessed[subj.Text] {
			f.Confidence -= 0.3
			f.Reasons = append(f.Reasons, subj.Text+" may be the product, not its maker")
		}
		if words := p.recalled[subj.Text]; words != "" && !strings.Contains(p.text, subj.Text) {
			f.Confidence -= 0.1
			f.Reasons = append(f.Reasons, "the thing named before: "+words+", "+subj.Text+"'s")
		}
		if product := p.madeBy[subj.Text]; product != "" && !strings.Contains(p.text, subj.Text) {
			f.Confidence -= 0.05
			f.Reasons = append(f.Reasons, "the maker of "+product+": "+subj.Text)
		}
		out = append(out, f)
	}
	supply := func(sellers, buyers []Mention, conf float64, why string) {
		for _, s := range sellers {
			for _, b := range buyers {
				if sellerOK(s) && buyerOK(b) {
					claim(records.RelSupplied, s, b, conf, why)
				}
			}
		}
	}
	if slices.Contains(stakeVerbs, lemma) && !passive {
		for _, f := range p.stake(v, subjects) {
			claim(f.Relation, f.Subject, f.Object, -0.05, f.Reasons...)
		}
	}
	switch {
	case slices.Contains(sellerVerbs, lemma):
		var sellers, buyers []Mention
		var why []string
		// Selling a unit, a stake or a business is an acquisition, not a
		// supply: "NSN sold the unit to Perusa Partners".
		if slices.ContainsFunc(objects, func(o int) bool { return slices.Contains(businessNouns, strings.ToLower(p.s[o].Lemma)) }) {
			break
		}
		// "Tallis sold Kestrel to Orrin", "Kestrel was sold to Orrin": a
		// company sold to a company was acquired by it.
		if lemma == "sell" {
			sold := objects
			if passive {
				sold = subjects
			}
			var why []string
			acquirers := slices.DeleteFunc(p.parties(p.withConj(p.prepObjects(v, "to")), true, &why), func(m Mention) bool { return !hasSchema(m, records.SchemaCompany) })
			companies := 0
			for _, x := range sold {
				if k := p.mentionOf[x]; k >= 0 && !p.weak[k] && hasSchema(p.ms[k], records.SchemaCompany) && sure(p.ms[k]) {
					companies++
					for _, a := range acquirers {
						claim(records.RelAcquiredBy, p.ms[k], a, 0, "a company sold: "+t.Text+" "+p.ms[k].Text+" to "+a.Text)
					}
				}
			}
			if companies > 0 {
				break
			}
		}
		sellerTokens, buyerTokens := subjects, p.withConj(p.prepObjects(v, "to", "for"))
		if lemma == "deploy" {
			// "the ministry deployed Orrin's cameras", "the police rolled
			// out a system from Orrin": a state that deploys a thing got
			// it from its maker (one that installs spyware on a phone
			// infects it).
			var states []int
			for _, sub := range subjects {
				if p.isState(sub) {
					states = append(states, sub)
				}
			}
			if len(states) > 0 && !passive {
				var why []string
				var makers []Mention
				for _, o := range objects {
					makers = append(makers, p.makerOf(o)...)
				}
				makers = append(makers, p.parties(p.withConj(p.prepObjects(v, "from")), true, &why)...)
				for _, o := range objects {
					makers = append(makers, p.parties(p.withConj(p.prepObjects(o, "from")), true, &why)...)
				}
				supply(makers, p.parties(states, false, &why), -0.05, "a state deployed a vendor's thing: "+t.Text)
				break
			}
		}
		// "sold the ministry a system", "has supplied Egypt's Interior
		// Ministry": a state or one of its bodies as the object is the
		// buyer (a company as the object of "sold" is a company sold).
		if !passive {
			for _, o := range objects {
				if p.isState(o) {
					buyerTokens = append(buyerTokens, o)
				}
			}
		}
		if len(buyerTokens) == 0 {
			// "provided monitoring capabilities to the SNB": the parser
			// often hangs "to" on the object.
			for _, o := range objects {
				buyerTokens = append(buyerTokens, p.withConj(p.prepObjects(o, "to"))...)
			}
		}
		if lemma == "install" || lemma == "deploy" {
			// "installed on YemenNet", "deployed at the operator".
			for _, o := range p.withConj(p.prepObjects(v, "on", "at", "in")) {
				if p.mentionOf[o] >= 0 {
					buyerTokens = append(buyerTokens, o)
				} else {
					buyerTokens = append(buyerTokens, p.withConj(p.prepObjects(o, "of"))...) // "the network of PTCL"
				}
			}
		}
		if passive {
			sellerTokens = agents
			if lemma == "equip" || lemma == "furnish" || lemma == "provide" || lemma == "supply" {
				if len(p.prepObjects(v, "with")) > 0 {
					buyerTokens = append(buyerTokens, subjects...)
				}
			}
			if len(sellerTokens) == 0 {
				for _, s := range subjects {
					sellers = append(sellers, p.makerOf(s)...)
				}
			}
		} else if len(p.prepObjects(v, "with")) > 0 || lemma == "equip" {
			buyerTokens = append(buyerTokens, objects...) // "provided the police with …"
		}
		for _, d := range p.children(v, "dative", "iobj") {
			if p.s[d].POS != "ADP" {
				buyerTokens = append(buyerTokens, d) // "sold Egypt the system"
			}
		}
		sellers = append(sellers, p.parties(sellerTokens, true, &why)...)
		if len(sellers) == 0 && slices.ContainsFunc(sellerTokens, p.unnamedCompanies) {
			// "two companies had supplied such centres to the KNB: Verint
			// Israel and NICE Systems": the sellers are listed after the
			// colon, and the buyers come before it.
			var colon int
			sellers, colon = p.namedAfterColon(v)
			buyerTokens = slices.DeleteFunc(buyerTokens, func(b int) bool { return colon > 0 && b > colon })
		}
		buyers = append(buyers, p.parties(buyerTokens, false, &why)...)
		supply(sellers, buyers, 0, "a verb of selling: "+t.Text)
		if passive && len(buyers) == 0 && (t.Dep == "acl" || t.Dep == "relcl") {
			// "Uganda's government is pressing ahead with a network of
			// cameras supplied by Huawei": who has the thing got it.
			if owner := p.holder(t.Head); owner >= 0 {
				supply(sellers, p.parties(p.withConj([]int{owner}), false, &why), -0.1, "a verb of selling: "+t.Text+"; the buyer holds what was sold")
			}
		}
		// "Computerlinks funnelled appliances made by Blue Coat to Syria":
		// the maker's kit reached the buyer, through the seller.
		if !passive {
			for _, o := range objects {
				if len(sellers) > 0 && (p.hasChild(o, "poss", "its") || p.hasChild(o, "poss", "their")) {
					continue // "Noldus sold its FaceReader software": the seller's own
				}
				for _, m := range p.makerOf(o) {
					if !slices.ContainsFunc(sellers, func(x Mention) bool { return sameEntity(x, m) }) {
						supply([]Mention{m}, buyers, -0.1, "the maker of what was sold: "+m.Text)
					}
				}
			}
		}
		vias := p.prepObjects(v, "through", "via")
		for _, st := range sellerTokens {
			vias = append(vias, p.prepObjects(st, "through", "via")...)
		}
		for _, via := range p.parties(p.withConj(vias), true, &why) {
			supply([]Mention{via}, buyers, -0.1, "an intermediary: through "+via.Text)
		}
	case slices.Contains(useVerbs, lemma) && passive && len(p.children(v, "auxpass")) == 0:
		// "technology deployed by a firm": who deployed it for whom is
		// not said.
	case slices.Contains(hireVerbs, lemma) && passive:
		// "Orrin was hired by the ministry": the subject is the vendor,
		// when it names a company itself ("Orrin engineers were hired by
		// Tallis" hires people).
		var why []string
		vendors := slices.DeleteFunc(slices.Clone(subjects), func(x int) bool {
			k := p.mentionOf[x]
			return k < 0 || !hasSchema(p.ms[k], records.SchemaCompany)
		})
		supply(p.parties(vendors, true, &why), p.parties(agents, false, &why), -0.05, "a buyer engaged a vendor: "+t.Text)
	case (lemma == "award" || lemma == "grant") && slices.ContainsFunc(slices.Concat(objects, subjects), func(x int) bool {
		l := strings.ToLower(p.s[x].Lemma)
		return l != "licence" && l != "license" && slices.Contains(dealNouns, l)
	}):
		// "the ministry awarded Orrin the contract", "a contract was
		// awarded to Orrin by the ministry", "Orrin was awarded a contract
		// by the ministry"; not a licence or an authorisation a regulator
		// grants.
		var why []string
		vendors, buyers := p.children(v, "dative", "iobj"), subjects
		if passive {
			vendors, buyers = p.prepObjects(v, "to"), agents
			if len(vendors) == 0 {
				vendors = subjects // the vendor awarded the contract
			}
			for _, o := range objects {
				buyers = append(buyers, p.prepObjects(o, "by")...) // "awarded a contract by the ministry"
			}
		} else {
			vendors = append(vendors, p.prepObjects(v, "to")...)
			for _, o := range objects {
				if p.mentionOf[o] >= 0 {
					vendors = append(vendors, o) // the parser may call the vendor the object
				}
			}
		}
		supply(p.parties(p.withConj(vendors), true, &why), p.parties(p.withConj(buyers), false, &why), -0.05, "a contract awarded: "+t.Text)
	case slices.Contains(hireVerbs, lemma) && !passive:
		// "Venezuela hired ZTE to build the database": the object is
		// the vendor.
		var why []string
		vendors := objects
		if lemma == "contract" {
			vendors = append(vendors, p.withConj(p.prepObjects(v, "with"))...) // "contracted with X"
		}
		sellers := p.parties(vendors, true, &why)
		buyers := p.parties(subjects, false, &why)
		if lemma == "contract" {
			// "Sandvine contracted with Türk Telekom" says nothing of who
			// sold: only a state contracting with a vendor does.
			buyers = slices.DeleteFunc(buyers, sellerOK)
		}
		supply(sellers, buyers, -0.05, "a buyer engaged a vendor: "+t.Text)
	case lemma == "serve" || lemma == "support":
		// "it supports Russian government clients, including the FSB".
		var why []string
		var buyerTokens []int
		for _, o := range objects {
			if slices.Contains(customerNouns, strings.ToLower(p.s[o].Lemma)) {
				buyerTokens = append(buyerTokens, o)
			}
		}
		if len(buyerTokens) > 0 {
			supply(p.parties(subjects, true, &why), p.parties(buyerTokens, false, &why), -0.05, "serves customers: "+t.Text)
		}
	case slices.Contains(buyerVerbs, lemma) || slices.Contains(useVerbs, lemma) || lemma == "rely":
		conf := 0.0
		why := []string{"a verb of buying: " + t.Text}
		if slices.Contains(useVerbs, lemma) || lemma == "rely" {
			conf, why = -0.15, []string{"a verb of using: " + t.Text}
		}
		buyerTokens, things := subjects, objects
		switch {
		case lemma == "rely":
			// "relies on Orrin's software"; relying on a company itself
			// ("for advice") is no purchase.
			things = slices.DeleteFunc(p.withConj(p.prepObjects(v, "on", "upon")), func(x int) bool {
				k := p.mentionOf[x]
				return k >= 0 && !hasSchema(p.ms[k], "Product")
			})
		case lemma == "spend" || lemma == "pay":
			// "spent $3 million on StingRay equipment", "paid for the
			// system": the thing follows "on" or "for".
			things = p.withConj(p.prepObjects(v, "on", "for"))
			for _, o := range objects {
				things = append(things, p.withConj(p.prepObjects(o, "for"))...) // "paid $3 million for the system"
			}
		}
		if passive {
			buyerTokens, things = agents, subjects
			if h := t.Head; len(agents) == 0 && t.Dep == "acl" && p.s[h].Dep == "dobj" {
				// "the police roll out a system bought from Huawei": who
				// has the thing bought it.
				buyerTokens = p.withConj(p.children(p.s[h].Head, "nsubj"))
			}
		}
		for k, th := range things {
			// "Orrin's equipment, which the ministry bought": the thing
			// is what the clause hangs on.
			if t.Dep == "relcl" && slices.Contains([]string{"which", "that"}, strings.ToLower(p.s[th].Text)) {
				things[k] = t.Head
			}
		}
		for _, th := range slices.Clone(things) {
			// "licences for Orrin's software": what the licence is for.
			if slices.Contains(accessNouns, strings.ToLower(p.s[th].Lemma)) {
				things = append(things, p.withConj(p.prepObjects(th, "for", "of", "to"))...)
			}
		}
		var payees []int
		if lemma == "pay" && !passive && (len(things) > 0 || slices.ContainsFunc(subjects, p.isState)) {
			// "paid Orrin $3 million for the system", "the ministry paid $3
			// million to Orrin": the payee is the vendor, when a thing is
			// paid for or a state pays (a company paying another may be
			// settling a lawsuit).
			payees = append(p.children(v, "dative", "iobj"), p.prepObjects(v, "to")...)
			for _, o := range objects {
				if k := p.mentionOf[o]; k >= 0 && hasSchema(p.ms[k], records.SchemaCompany) {
					payees = append(payees, o) // the parser may call the payee the object
				}
			}
		}
		// A company bought or acquired is an acquisition, not a supply.
		if lemma == "acquire" || lemma == "buy" || lemma == "purchase" {
			companies := 0
			owners := p.parties(buyerTokens, true, &why)
			// "Atos acquired it": what the sentence is about (its main
			// clause's subject: "NSO has been owned since 2019 by
			// Novalpina, which bought it from Francisco Partners, which
			// had acquired it in 2014"), or else the company named last
			// before.
			for _, th := range things {
				if p.pronoun(th) {
					m, ok := p.antecedent(th, owners) // none when a product stands before: "it" is that
					if topic, isTopic := p.topic(owners); ok && isTopic {
						m = topic
					}
					if ok {
						for _, o := range owners {
							if hasSchema(o, records.SchemaCompany) && sure(o) {
								claim(records.RelAcquiredBy, m, o, -0.05, "an acquisition: "+t.Text+" it, "+m.Text)
							}
						}
						things = slices.DeleteFunc(slices.Clone(things), func(x int) bool { return x == th })
						companies++
					}
				}
			}
			if !slices.ContainsFunc(owners, func(o Mention) bool { return !hasSchema(o, records.SchemaCompany) }) {
				for _, th := range slices.Clone(things) {
					named, taken := p.namedByForm(th)
					for _, m := range named {
						for _, o := range owners {
							claim(records.RelAcquiredBy, m, o, -0.05, "an acquisition: "+t.Text+" "+m.Text+", its "+p.s[th].Text)
						}
					}
					if len(named) > 0 {
						things = slices.DeleteFunc(things, func(x int) bool { return x == th || slices.Contains(taken, x) })
						companies++
					}
				}
			}
			for _, th := range things {
				if k := p.mentionOf[th]; k >= 0 && !p.weak[k] && hasSchema(p.ms[k], records.SchemaCompany) {
					for _, o := range owners {
						if hasSchema(o, records.SchemaCompany) {
							claim(records.RelAcquiredBy, p.ms[k], o, 0, "an acquisition: "+t.Text)
						}
					}
					things = slices.DeleteFunc(slices.Clone(things), func(x int) bool { return x == th })
					companies++
				}
			}
			if companies > 0 && len(things) == 0 {
				break // "bought it from Tallis": whom a company was bought from sold no goods
			}
		}
		var sellers []Mention
		for _, th := range things {
			// "operate MPT's network": a company's own network or premises
			// are not bought from it; "took over NSN's intelligence unit":
			// a business bought is no goods.
			if slices.Contains(useVerbs, lemma) && slices.Contains(ownAssets, strings.ToLower(p.s[th].Lemma)) ||
				!slices.Contains(useVerbs, lemma) && slices.Contains(businessNouns, strings.ToLower(p.s[th].Lemma)) {
				continue
			}
			sellers = append(sellers, p.makerOf(th)...)
		}
		if h := t.Head; len(sellers) == 0 && t.Dep == "conj" && slices.Contains(madeVerbs, strings.ToLower(p.s[h].Lemma)) {
			// "Spyware developed by V was acquired by B": the maker is
			// the first verb's agent.
			sellers = p.parties(p.withConj(p.prepObjects(h, "by")), true, &why)
		}
		sellers = append(sellers, p.parties(p.withConj(append(p.prepObjects(v, "from"), payees...)), true, &why)...)
		if !slices.ContainsFunc(sellers, sellerOK) {
			// "bought a system called P6 Intercept from PicSix": the
			// parser hangs "from" on the thing's name.
			for _, th := range things {
				for j, t := range p.s {
					if strings.EqualFold(t.Text, "from") && t.Dep == "prep" && p.below(j, th, 4) {
						sellers = append(sellers, p.parties(p.withConj(p.children(j, "pobj")), true, &why)...)
					}
				}
			}
		}
		buyers := p.parties(buyerTokens, false, &why)
		supply(sellers, buyers, conf, strings.Join(why, "; "))
		for _, via := range p.parties(p.withConj(p.prepObjects(v, "through", "via")), true, &why) {
			supply([]Mention{via}, buyers, conf-0.1, "an intermediary: through "+via.Text)
		}
	case slices.Contains(dealVerbs, lemma):
		// "X won a contract from Y", "Y signed a deal worth €5m in 2021
		// with X", "a deal with Y had been negotiated through X".
		var deals []int
		for _, o := range p.children(v, "dobj", "nsubjpass") {
			if slices.Contains(dealNouns, strings.ToLower(p.s[o].Lemma)) {
				deals = append(deals, o)
			}
		}
		if len(deals) == 0 {
			break
		}
		var sides []int
		if !passive {
			sides = append(sides, subjects...)
		}
		sides = append(sides, agents...)
		for _, d := range deals {
			sides = append(sides, p.prepsBelow(d, 3, "with", "from", "for")...)
		}
		sides = append(sides, p.prepObjects(v, "with", "from", "for", "through", "via")...)
		if !passive {
			sides = append(sides, objects...) // "Y awarded X a contract"
		}
		// Either side may be the vendor: the one that can only sell is.
		var why []string
		all := p.parties(p.withConj(sides), true, &why)
		// The buyer of a deal is a state (a body or a country); two
		// companies in one deal are partners, not seller and buyer.
		state := func(m Mention) bool {
			return p.canBuy(m) && (!sellerOK(m) || m.New && bodyName.MatchString(m.Text) && !orgTail.MatchString(lastWord(m.Text)))
		}
		if lemma == "win" && !slices.ContainsFunc(all, state) {
			// "won a contract to build a system in Xinjiang": the
			// place's state is the buyer.
			for _, in := range p.placesUnder(v) {
				if m, ok := p.place(in); ok {
					all = append(all, m)
					why = append(why, "a contract won in "+m.Text)
				}
			}
		}
		for i, x := range all {
			for _, y := range all[i+1:] {
				switch {
				case sellerOK(x) && state(y):
					claim(records.RelSupplied, x, y, -0.05, "a contract: "+t.Text)
				case sellerOK(y) && state(x):
					claim(records.RelSupplied, y, x, -0.05, "a contract: "+t.Text)
				}
			}
		}
	case (lemma == "absorb" || lemma == "merge" || lemma == "fold" || lemma == "integrate") && len(p.prepObjects(v, "into")) > 0:
		// "Amesys had been absorbed into Bull", "merged it into Memento
		// Labs": what goes into a company becomes its.
		var why []string
		into := p.parties(p.withConj(p.prepObjects(v, "into")), true, &why)
		parts := objects
		if passive {
			parts = subjects
		}
		var owned []Mention
		for _, x := range parts {
			if slices.Contains(businessNouns, strings.ToLower(p.s[x].Lemma)) {
				continue // "Siemens's unit was merged into NSN": the unit, not Siemens
			}
			if p.pronoun(x) {
				if m, ok := p.antecedent(x, into); ok {
					owned = append(owned, m)
				}
				continue
			}
			owned = append(owned, p.parties([]int{x}, true, &why)...)
		}
		for _, o := range into {
			for _, c := range owned {
				if hasSchema(o, records.SchemaCompany) && hasSchema(c, records.SchemaCompany) {
					claim(records.RelAcquiredBy, c, o, -0.05, "absorbed: "+t.Text+" into")
				}
			}
		}
	case lemma == "take" && len(objects) > 0 && strings.EqualFold(p.s[objects[0]].Text, "control"):
		// "InTheCyber took control of Hacking Team".
		var why []string
		for _, o := range p.parties(subjects, true, &why) {
			for _, c := range p.parties(p.withConj(p.prepObjects(objects[0], "of")), true, &why) {
				if hasSchema(o, records.SchemaCompany) && hasSchema(c, records.SchemaCompany) {
					claim(records.RelAcquiredBy, c, o, 0, "took control of")
				}
			}
		}
	case lemma == "own" || lemma == "control":
		// "the Francisco Partners-owned Sandvine": the owner's name, a
		// hyphen, and the participle before the owned.
		if t.Dep == "amod" && v >= 2 && p.s[v-1].Text == "-" {
			if owner, hk := p.mentionOf[v-2], p.mentionOf[t.Head]; owner >= 0 && hk >= 0 && hasSchema(p.ms[owner], records.SchemaCompany) && hasSchema(p.ms[hk], records.SchemaCompany) {
				claim(records.RelOwns, p.ms[owner], p.ms[hk], 0, "owned, before the name: "+p.ms[owner].Text+"-"+t.Text)
			}
			break
		}
		// A pronoun may stand for any company the page named: ownership
		// is read between names only.
		named := func(ts []int) []int {
			return slices.DeleteFunc(slices.Clone(ts), func(x int) bool { return p.s[x].POS == "PRON" })
		}
		subjects, objects, agents = named(subjects), named(objects), named(agents)
		var why []string
		owners, owned := p.parties(subjects, true, &why), p.parties(objects, true, &why)
		if passive {
			owners, owned = p.parties(agents, true, &why), p.parties(subjects, true, &why)
		}
		for _, o := range owners {
			for _, c := range owned {
				if hasSchema(o, records.SchemaCompany) && hasSchema(c, records.SchemaCompany) {
					claim(records.RelOwns, o, c, 0, "a verb of owning: "+t.Text)
				}
			}
		}
	}
	return out
}

// VetPatterns checks what the patterns read in a sentence against its
// parse: a seller the parse puts inside the description of another party,
// as the object of "of" within its clause ("Nexa, a company run by former
// executives of Amesys, sold …"; "Amesys, while still a subsidiary of
// Bull, had sold …"), is no seller for certain, so the claim is not made
// but suggested. The patterns read text offsets; the parse's text is the
// sentence's.
func VetPatterns(s nlp.Sentence, found []Found) []Found {
	start, _ := offsets(s)
	out := slices.Clone(found)
	for k, f := range out {
		if f.Relation != records.RelSupplied {
			continue
		}
		// The name's head: its first token whose own head is outside it.
		i, first := -1, slices.Index(start, f.Subject.Start)
		for j := first; first >= 0 && j < len(s) && start[j] < f.Subject.End; j++ {
			if h := s[j].Head; h == j || start[h] < f.Subject.Start || start[h] >= f.Subject.End {
				i = j
				break
			}
		}
		if i < 0 || clauseUnder(s, i) {
			continue // "… out of Amesys, the company that sold …": its own clause
		}
		if inOfPhrase(s, i) {
			notMade(&out[k], "the parse puts "+f.Subject.Text+" inside a description: of "+f.Subject.Text)
		} else if v, ok := agentVerb(s, i); ok && slices.Contains(ownerVerbs, strings.ToLower(s[v].Lemma)) {
			notMade(&out[k], "the parse puts "+f.Subject.Text+" inside a description: "+s[v].Text+" by "+f.Subject.Text)
		}
	}
	return out
}

// ownerVerbs say their agent bought, owns or runs what the clause is
// about: "Narus, a company that was acquired by Boeing, sold …" is
// Narus's sale, not Boeing's.
var ownerVerbs = []string{"acquire", "buy", "purchase", "own", "control", "found", "back", "fund", "run", "manage", "take", "absorb"}

// agentVerb is the verb of the relative or participial clause whose agent
// token i is ("acquired" in "a company that was acquired by Boeing").
func agentVerb(s nlp.Sentence, i int) (int, bool) {
	if s[i].Dep != "pobj" || s[s[i].Head].Dep != "agent" {
		return 0, false
	}
	v := s[s[i].Head].Head
	return v, s[v].Dep == "relcl" || s[v].Dep == "acl"
}

// offsets are where each token of a sentence starts and ends in its text
// (Sentence.Text).
func offsets(s nlp.Sentence) (start, end []int) {
	start, end = make([]int, len(s)), make([]int, len(s))
	at := 0
	for i, t := range s {
		start[i], end[i] = at, at+len(t.Text)
		at = end[i]
		if t.Space {
			at++
		}
	}
	return start, end
}

// clauseUnder says whether a verb hangs, directly or not, on token i
// (within a few steps): a clause that speaks of what i names.
func clauseUnder(s nlp.Sentence, i int) bool {
	for j, t := range s {
		if t.POS != "VERB" || j == i {
			continue
		}
		for h, steps := j, 0; steps < 6 && s[h].Head != h; steps++ {
			if h = s[h].Head; h == i {
				return true
			}
		}
	}
	return false
}

// unnamedCompanies says whether token i is companies the sentence does
// not name where it says them: "two companies", "several firms".
func (p *parsed) unnamedCompanies(i int) bool {
	return p.s[i].Tag == "NNS" && slices.Contains(companyWords, strings.ToLower(p.s[i].Lemma)) && p.mentionOf[i] < 0
}

// namedAfterColon are the companies named in the list after the colon
// that follows token v, each once, and where the colon is: the list's own
// names, not those a name's description holds ("Verint Israel, the local
// subsidiary of Verint Systems": Verint Israel only).
func (p *parsed) namedAfterColon(v int) (names []Mention, colon int) {
	colon = slices.IndexFunc(p.s[v:], func(t nlp.Token) bool { return t.Text == ":" })
	if colon < 0 {
		return nil, 0
	}
	colon += v
	for _, i := range p.listAfter(colon, records.SchemaCompany) {
		if k := p.mentionOf[i]; !inOfPhrase(p.s, i) && !slices.ContainsFunc(names, func(m Mention) bool { return sameEntity(m, p.ms[k]) }) {
			names = append(names, p.ms[k])
		}
	}
	return names, colon
}

// listAfter are the first tokens of the mentions of the given schemas in
// the list that follows the colon at token colon. The list runs to its
// first verb, semicolon or bracket: "…: Mexico and Rwanda, approved by
// Israel's ministry" lists two.
func (p *parsed) listAfter(colon int, schemas ...string) []int {
	var out []int
	for j := colon + 1; j < len(p.s) && p.s[j].POS != "VERB" && p.s[j].POS != "AUX" && p.s[j].Text != "(" && p.s[j].Text != ";"; j++ {
		if k := p.mentionOf[j]; k >= 0 && hasSchema(p.ms[k], schemas...) && p.mentionOf[j-1] != k {
			out = append(out, j)
		}
	}
	return out
}

// inOfPhrase says whether token i, or the name it is part of, is the
// object of "of", the name read up through its own words and its
// appositions: "a subsidiary of Bull", "the group Bull", "former
// executives of Amesys"; not "some of Orrin's systems", where Orrin owns
// what the phrase is of.
func inOfPhrase(s nlp.Sentence, i int) bool {
	for steps := 0; steps < 10 && s[i].Head != i; steps++ {
		switch s[i].Dep {
		case "pobj":
			return strings.EqualFold(s[s[i].Head].Text, "of")
		case "compound", "flat", "appos", "conj": // "subsidiaries of two companies, Verint and NICE"
			i = s[i].Head
		default:
			return false
		}
	}
	return false
}

// namedAbove is the nearest token above v, through the words of its
// phrase, that names a party: the parse's heads are followed up through
// conjunctions, prepositions, modifying clauses and appositions, never
// across a clause with a subject of its own.
func (p *parsed) namedAbove(v int) (int, bool) {
	for i, steps := v, 0; steps < 8; steps++ {
		switch p.s[i].Dep {
		case "conj", "pobj", "prep", "acl", "relcl", "appos", "advcl":
		default:
			return 0, false
		}
		i = p.s[i].Head
		place := p.s[i].Dep == "pobj" && slices.Contains([]string{"in", "at", "near"}, strings.ToLower(p.s[p.s[i].Head].Text))
		if p.mentionOf[i] >= 0 && !place { // "headquartered in Petah Tikva" is where, not who
			return i, true
		}
		if p.s[i].POS == "VERB" && len(p.children(i, "nsubj", "nsubjpass")) > 0 {
			return 0, false
		}
	}
	return 0, false
}

// antecedent is the company a pronoun at token i stands for: the last one
// the sentence names before it that is none of not (a product named
// between is what "it" is). Only the sentence's: "it" across sentences is
// as often the product as the company.
func (p *parsed) antecedent(i int, not []Mention) (Mention, bool) {
	other := func(m Mention) bool {
		return hasSchema(m, records.SchemaCompany) && !slices.ContainsFunc(not, func(x Mention) bool { return sameEntity(x, m) })
	}
	for j := i - 1; j >= 0; j-- {
		k := p.mentionOf[j]
		if k >= 0 && hasSchema(p.ms[k], "Product") {
			return Mention{}, false // "Sandvine offers PacketLogic, and Telecom Egypt bought it": the product
		}
		if k >= 0 && !p.weak[k] && other(p.ms[k]) {
			return p.ms[k], true
		}
	}
	return Mention{}, false
}

// speakers are the named subjects of the verbs above token i: who says,
// or does, what the clause of i tells.
func (p *parsed) speakers(i int) []Mention {
	var out []Mention
	for _, a := range p.ancestors(i)[1:] {
		for _, sub := range p.children(a, "nsubj") {
			if k := p.mentionOf[sub]; k >= 0 && sub != i {
				out = append(out, p.ms[k])
			}
		}
	}
	return out
}

// ancestors are token i and the heads above it, up to the root.
func (p *parsed) ancestors(i int) []int {
	out := []int{i}
	for p.s[i].Head != i && len(out) <= len(p.s) {
		i = p.s[i].Head
		out = append(out, i)
	}
	return out
}

// stateParty is the state, or the body of one, that token x stands for
// as a buyer.
func (p *parsed) stateParty(x int) (Mention, bool) {
	m, _, ok := p.party(x, false)
	return m, ok && hasSchema(m, records.SchemaPublicBody, records.SchemaCountry)
}

// isState says whether token x stands for a state or a body of one.
func (p *parsed) isState(x int) bool {
	_, ok := p.stateParty(x)
	return ok
}

// acquiredBy is the acquisition of a company by its new owners.
func (p *parsed) acquiredBy(owned Mention, owners []Mention, why string) []Found {
	var out []Found
	for _, o := range owners {
		if hasSchema(o, records.SchemaCompany) && !sameEntity(o, owned) {
			out = append(out, Found{Relation: records.RelAcquiredBy, Subject: owned, Object: o, Confidence: 0.7, Reasons: []string{why}})
		}
	}
	return out
}

// stake reads a stake held or bought in a company ("bought a majority
// stake in NSO Group", "holds a 40 percent stake in X"): its holder owns
// part of the company. The caller makes the claims, with their
// confidence, of the relations it returns.
func (p *parsed) stake(v int, holders []int) []Found {
	var out []Found
	var why []string
	for _, o := range p.children(v, "dobj") {
		if !slices.Contains(stakeNouns, strings.ToLower(p.s[o].Lemma)) {
			continue
		}
		for _, x := range p.withConj(p.prepObjects(o, "in")) {
			k := p.mentionOf[x]
			if k < 0 || p.weak[k] || !hasSchema(p.ms[k], records.SchemaCompany) {
				continue
			}
			for _, h := range p.parties(holders, true, &why) {
				if hasSchema(h, records.SchemaCompany, records.SchemaPublicBody) && !sameEntity(h, p.ms[k]) {
					out = append(out, Found{Relation: records.RelOwns, Subject: h, Object: p.ms[k],
						Reasons: []string{"a stake: " + p.s[v].Text + " a " + p.s[o].Text + " in " + p.ms[k].Text}})
				}
			}
		}
	}
	return out
}

// topic is the company the sentence's main clause has for its subject,
// when it is none of not.
func (p *parsed) topic(not []Mention) (Mention, bool) {
	for i, t := range p.s {
		if t.Dep != "ROOT" {
			continue
		}
		for _, sub := range p.children(i, "nsubj", "nsubjpass") {
			if k := p.mentionOf[sub]; k >= 0 && hasSchema(p.ms[k], records.SchemaCompany) &&
				!slices.ContainsFunc(not, func(x Mention) bool { return sameEntity(x, p.ms[k]) }) {
				return p.ms[k], true
			}
		}
	}
	return Mention{}, false
}

// compounds are the tokens that compound token i, and those that
// compound them: "a Francisco Partners portfolio company".
func (p *parsed) compounds(i int) []int {
	var out []int
	for _, c := range p.children(i, "compound") {
		out = append(out, c)
		out = append(out, p.compounds(c)...)
	}
	return out
}

// possessor is the company a possessive "its" on the noun at token i
// stands for: the first company up the parse from the noun, or the
// subject (or else the object) of a clause above it ("Procera changed its
// name to Sandvine after its owner bought it": Procera's owner, not
// Sandvine's).
func (p *parsed) possessor(i int) (Mention, bool) {
	company := func(t int) (Mention, bool) {
		if k := p.mentionOf[t]; k >= 0 && !p.weak[k] && hasSchema(p.ms[k], records.SchemaCompany) {
			return p.ms[k], true
		}
		return Mention{}, false
	}
	for h, steps := i, 0; steps < 8 && p.s[h].Head != h; steps++ {
		from := h
		h = p.s[h].Head
		if m, ok := company(h); ok {
			return m, true
		}
		if p.s[h].POS == "VERB" || p.s[h].POS == "AUX" {
			// The clause's subject, or else, when the noun is not that
			// subject, its object: "the sanctions covered X together with
			// its parent".
			args := p.children(h, "nsubj", "nsubjpass")
			if p.s[from].Dep != "nsubj" && p.s[from].Dep != "nsubjpass" {
				args = append(args, p.children(h, "dobj")...)
			}
			for _, a := range args {
				if m, ok := company(a); ok && a != i {
					return m, true
				}
			}
		}
	}
	return Mention{}, false
}

// pronoun says whether token i is "it" or "them": a thing or a company
// named before.
func (p *parsed) pronoun(i int) bool {
	l := strings.ToLower(p.s[i].Text)
	return (l == "it" || l == "them") && p.s[i].POS == "PRON"
}

// below says whether token j is in token i's subtree, within depth steps.
func (p *parsed) below(j, i, depth int) bool {
	for n := 0; n < depth && p.s[j].Head != j; n++ {
		j = p.s[j].Head
		if j == i {
			return true
		}
	}
	return false
}

// holder is the subject of the verb a noun is the object of, through
// prepositions and "of", when the verb says the subject has the thing:
// the government in "the government is pressing ahead with a network of
// cameras", not in "the government criticised China over cameras"; -1
// when there is none.
func (p *parsed) holder(n int) int {
	for steps := 0; steps < 6; steps++ {
		t := p.s[n]
		switch {
		case t.POS == "VERB" || t.POS == "AUX":
			if subj := p.children(n, "nsubj"); len(subj) > 0 && slices.Contains(holdVerbs, strings.ToLower(t.Lemma)) {
				return subj[0]
			}
			return -1
		case t.Dep == "pobj" || t.Dep == "prep" || t.Dep == "dobj":
			n = t.Head
		default:
			return -1
		}
	}
	return -1
}

// prepsBelow returns the objects of the given prepositions anywhere in
// token i's subtree, within depth steps: the parser hangs "with X" on the
// last noun before it ("a contract worth €5m in 2021 with X").
func (p *parsed) prepsBelow(i, depth int, preps ...string) []int {
	out := p.prepObjects(i, preps...)
	if depth == 0 {
		return out
	}
	for j, t := range p.s {
		if t.Head == i && j != i && t.Dep != "relcl" && t.Dep != "acl" {
			out = append(out, p.prepsBelow(j, depth-1, preps...)...)
		}
	}
	return out
}

// placesUnder returns the objects of "in" anywhere below a verb, within
// three steps: "won a contract to build a system in X".
func (p *parsed) placesUnder(v int) []int {
	var out []int
	for i, t := range p.s {
		if !strings.EqualFold(t.Text, "in") || t.Dep != "prep" {
			continue
		}
		for h, n := t.Head, 0; n < 4; h, n = p.s[h].Head, n+1 {
			if h == v {
				out = append(out, p.withConj(p.children(i, "pobj"))...)
				break
			}
			if p.s[h].Head == h {
				break
			}
		}
	}
	return out
}

// parties resolves role tokens to mentions, noting why when a word stood
// for a party named elsewhere.
func (p *parsed) parties(ts []int, seller bool, why *[]string) []Mention {
	var out []Mention
	for _, i := range ts {
		// "countries including Egypt and Bahrain": the list stands for
		// the plural.
		if p.mentionOf[i] < 0 {
			if inc := p.withConj(p.prepObjects(i, "including", "like", "as")); len(inc) > 0 {
				listed := p.parties(inc, seller, why)
				// "the South Sudanese authorities, including the NSS":
				// when the list names no party the sentence can use,
				// the head does.
				if len(listed) == 0 {
					if m, reason, ok := p.party(i, seller); ok {
						*why = append(*why, reason)
						listed = append(listed, m)
					}
				}
				out = append(out, listed...)
				continue
			}
			// "authorities in Azerbaijan, Bahrain and Egypt", "a
			// customer in Bahrain", "police forces in Kenya": each
			// country's state.
			if l := strings.ToLower(p.s[i].Lemma); !seller && (slices.Contains(bodyWords, l) || slices.Contains(customerNouns, l) || slices.Contains(agencyNouns, l)) {
				var states []Mention
				preps := []string{"in", "of"}
				if slices.Contains(customerNouns, l) {
					preps = preps[:1] // "customers of Gamma" names the vendor
				}
				for _, c := range p.withConj(p.prepObjects(i, preps...)) {
					if m, ok := p.state(c); ok {
						states = append(states, m)
					}
				}
				if len(states) > 0 {
					*why = append(*why, "the states of a list: "+p.s[i].Text+" in …")
					out = append(out, states...)
					continue
				}
			}
		}
		m, reason, ok := p.party(i, seller)
		if !ok {
			continue
		}
		if maker, known := p.productMaker(m); seller && known {
			// "FinSpy was sold to Turkey": its maker sold it.
			m, reason = maker, ""
		}
		if reason != "" {
			*why = append(*why, reason)
		}
		if !slices.ContainsFunc(out, func(x Mention) bool { return x.Text == m.Text }) {
			out = append(out, m)
		}
	}
	return out
}

// apposition reads ownership from a name's apposition or relative clause:
// "X, a subsidiary of Y", "Y, the parent company of X", "X, owned by Y".
func (p *parsed) apposition(i int) []Found {
	k := p.mentionOf[i]
	lemma := strings.ToLower(p.s[i].Lemma)
	if slices.Contains(companyWords, lemma) && slices.ContainsFunc(p.children(i, "compound", "amod"), func(x int) bool {
		return slices.Contains(parentNouns, strings.ToLower(p.s[x].Lemma))
	}) {
		lemma = "parent" // "the parent company of Orrin"
	}
	var out []Found
	owns := func(owner, owned Mention, why string) {
		// A state may own a company: "In-Q-Tel, the CIA's venture arm".
		if hasSchema(owner, records.SchemaCompany, records.SchemaPublicBody) && hasSchema(owned, records.SchemaCompany) && !sameEntity(owner, owned) {
			out = append(out, Found{Relation: records.RelOwns, Subject: owner, Object: owned, Confidence: 0.75, Reasons: []string{why}})
		}
	}
	// "Circles, an NSO Group company", "Kestrel, a Francisco Partners
	// portfolio company": the company named before the noun owns the one
	// the apposition hangs on.
	if k < 0 && slices.Contains(companyWords, lemma) && p.s[i].Dep == "appos" {
		if hk := p.mentionOf[p.s[i].Head]; hk >= 0 {
			for _, c := range p.compounds(i) {
				if ck := p.mentionOf[c]; ck >= 0 && ck != hk {
					owns(p.ms[ck], p.ms[hk], "a company of another: "+p.ms[ck].Text+" "+p.s[i].Text)
				}
			}
		}
	}
	// "together with its Hungarian parent, Cytrox Holdings", "and its
	// subsidiary Circles": the name beside the noun is the parent (or the
	// subsidiary) of the company "its" stands for.
	if k < 0 && (slices.Contains(childNouns, lemma) || slices.Contains(parentNouns, lemma)) {
		its := p.hasChild(i, "poss", "its")
		for _, a := range p.children(i, "appos", "compound") {
			ak := p.mentionOf[a]
			if !its || ak < 0 || a < i && p.s[a].Dep == "compound" {
				continue
			}
			if ante, ok := p.possessor(i); ok {
				if slices.Contains(childNouns, lemma) {
					owns(ante, p.ms[ak], "its "+p.s[i].Text+", "+p.ms[ak].Text)
				} else {
					owns(p.ms[ak], ante, "its "+p.s[i].Text+", "+p.ms[ak].Text)
				}
			}
		}
	}
	// "NSO's immediate parent is Q Cyber", "Cy4gate, whose largest
	// shareholder is Elettronica": the owner is what the parent noun is.
	if v := p.s[i].Head; k < 0 && slices.Contains(parentNouns, lemma) && p.s[i].Dep == "nsubj" && strings.EqualFold(p.s[v].Lemma, "be") &&
		!p.negated(v) && !p.hasAux(v, future...) && !p.modifiedBy(i, slices.Concat(hopes, pasts)...) {
		var owned []Mention
		recalled, from := false, len(out)
		for _, c := range p.children(i, "poss") {
			h := c
			if strings.EqualFold(p.s[c].Text, "whose") {
				if p.s[v].Dep != "relcl" {
					continue
				}
				h = p.s[v].Head
				// "Cy4gate is a listed company whose …": the company is
				// the name the copula's subject gives.
				if p.s[h].Dep == "attr" && p.mentionOf[h] < 0 && slices.Contains(companyWords, strings.ToLower(p.s[h].Lemma)) {
					if subj := p.children(p.s[h].Head, "nsubj"); len(subj) > 0 {
						h = subj[0]
					}
				}
			}
			if m, why, ok := p.party(h, true); ok {
				owned = append(owned, m)
				recalled = recalled || why != ""
			}
		}
		for _, a := range p.withConj(p.children(v, "attr")) {
			if m, why, ok := p.party(a, true); ok && why == "" {
				for _, o := range owned {
					owns(m, o, "its "+p.s[i].Text+" is "+m.Text)
				}
			}
		}
		// "The company's parent is …" with the company a previous
		// sentence named: a page's last company is often not the one
		// meant, so an editor decides.
		for j := from; recalled && j < len(out); j++ {
			out[j].Confidence = 0.4
			out[j].Reasons = append(out[j].Reasons, "the company it is the "+p.s[i].Text+" of was named before")
		}
	}
	// The noun of the apposition itself: "a subsidiary of Y" hanging on X.
	if k < 0 && (slices.Contains(childNouns, lemma) || slices.Contains(parentNouns, lemma)) && (p.s[i].Dep == "appos" || p.s[i].Dep == "attr") {
		head := p.s[i].Head
		if p.s[i].Dep == "attr" { // "X is a subsidiary of Y"
			subj := p.children(head, "nsubj")
			if len(subj) == 0 || p.negated(head) {
				return nil // "X was never a subsidiary of Y"
			}
			if p.s[head].Dep == "relcl" && slices.Contains([]string{"that", "which", "who"}, strings.ToLower(p.s[subj[0]].Text)) {
				// "X, a firm that is a subsidiary of Y": the clause
				// speaks of what it hangs on, and an apposition of X.
				head = p.s[head].Head
				if p.s[head].Dep == "appos" {
					head = p.s[head].Head
				}
			} else {
				head = subj[0]
			}
			// "The distributor, Computerlinks FZCO, is the arm of …".
			if p.mentionOf[head] < 0 {
				for _, a := range p.children(head, "appos") {
					if p.mentionOf[a] >= 0 {
						head = a
					}
				}
			}
		}
		hk := p.mentionOf[head]
		if hk < 0 {
			return nil
		}
		others := p.withConj(p.prepObjects(i, "of"))
		if slices.Contains(childNouns, lemma) {
			others = append(others, p.children(i, "poss")...) // "the CIA's arm"
		}
		for _, o := range others {
			var other Mention
			if ok := p.mentionOf[o]; ok >= 0 {
				other = p.ms[ok]
			} else if m, why, found := p.party(o, true); found && strings.EqualFold(p.s[o].Lemma, "company") && p.s[o].Tag == "NN" {
				// "the German subsidiary of the US company": not the
				// subsidiary named before it, but the page's company.
				other = m
				if why != "" && sameEntity(m, p.ms[hk]) && p.d != nil && p.d.has {
					other = p.d.vendor
				}
			} else {
				continue
			}
			if slices.Contains(childNouns, lemma) {
				owns(other, p.ms[hk], "an apposition: "+p.s[i].Text+" of")
			} else {
				owns(p.ms[hk], other, "an apposition: "+p.s[i].Text+" of")
			}
		}
	}
	return out
}

// namedTogether suggests, for a sentence about trade whose grammar gave
// no claim, that its one vendor supplied the states it names: "Trovicor
// monitoring centres had been installed in a dozen countries, and the
// report named Bahrain, Egypt and Yemen among them". Its confidence is a
// suggestion's: an editor reads the sentence and decides.
func (p *parsed) namedTogether() []Found {
	if !MayClaim(p.text) || p.negatedSentence() {
		return nil
	}
	var sellers, states []Mention
	for k, m := range p.ms {
		switch {
		case sellerOK(m) && !p.guessed[m.Text] && !bodyName.MatchString(m.Text) &&
			(!p.weak[k] && (!m.New || m.Listed) || resolve.HasLegalForm(m.Text) || orgTail.MatchString(lastWord(m.Text))):
			// A vendor the gazetteer knows or whose name says it is a
			// company: a name merely recognised may be a newspaper's.
			if !slices.ContainsFunc(sellers, func(x Mention) bool { return sameEntity(x, m) }) {
				sellers = append(sellers, m)
			}
		case p.canBuy(m) && !sellerOK(m) && !hasSchema(m, records.SchemaCompany) && !p.describes(k):
			if !slices.ContainsFunc(states, func(x Mention) bool { return sameEntity(x, m) }) {
				states = append(states, m)
			}
		}
	}
	if len(sellers) != 1 || len(states) == 0 || len(states) > 12 {
		return nil // one vendor, or who sold to whom is anyone's guess
	}
	var out []Found
	for _, b := range states {
		out = append(out, Found{Relation: records.RelSupplied, Subject: sellers[0], Object: b, Confidence: 0.3,
			Reasons: []string{"named together in a sentence about trade; its grammar does not say who sold to whom"}})
	}
	return out
}

// negatedSentence says whether the sentence's main verb is negated or a
// denial.
func (p *parsed) negatedSentence() bool {
	for i, t := range p.s {
		if t.Dep == "ROOT" {
			l := strings.ToLower(t.Lemma)
			return p.negated(i) || l == "deny" || l == "reject" || l == "dispute"
		}
	}
	return false
}

// describes says whether mention k only describes something else, as a
// demonym does a company ("an Israeli firm"), rather than naming a party.
func (p *parsed) describes(k int) bool {
	for i, t := range p.s {
		if p.mentionOf[i] != k {
			continue
		}
		if (t.Dep == "amod" || t.Dep == "compound" || t.Dep == "nmod") && !slices.Contains(bodyWords, strings.ToLower(p.s[t.Head].Lemma)) &&
			!slices.Contains(serviceWords, strings.ToLower(p.s[t.Head].Lemma)) && p.mentionOf[t.Head] != k {
			return true
		}
		// "Japan's Orrin Networks": a company's home, not a party.
		if h := p.mentionOf[t.Head]; t.Dep == "poss" && h >= 0 && h != k && hasSchema(p.ms[h], records.SchemaCompany) {
			return true
		}
	}
	return false
}

// customerNouns name a vendor's buyers: "Hacking Team's customers".
var customerNouns = []string{"customer", "client", "buyer", "user", "purchaser"}

// customers reads the buyers a noun of custom names with its vendor:
// "customers of V including A and B", "A and B are V's clients", "A were
// named as V's customers".
func (p *parsed) customers(i int) []Found {
	t := p.s[i]
	if !slices.Contains(customerNouns, strings.ToLower(t.Lemma)) || p.mentionOf[i] >= 0 || p.modifiedBy(i, hopes...) {
		return nil // "a potential Pegasus customer" is none yet
	}
	var why []string
	var sellers []Mention
	var byProduct []string // sellers read from their product's name
	// The vendor's name before the noun (the parser may call it an
	// adjective: "Sandvine customers"), or after "of".
	for _, c := range append(p.children(i, "poss", "compound", "amod"), p.withConj(p.prepObjects(i, "of"))...) {
		if k := p.mentionOf[c]; k >= 0 && sellerOK(p.ms[k]) {
			sellers = append(sellers, p.ms[k])
		} else if k >= 0 {
			// "a Pegasus customer": the customer of the product's maker,
			// if the name is the product's ("a Predator customer" may
			// have bought drones), so an editor decides.
			if m, ok := p.productMaker(p.ms[k]); ok {
				sellers = append(sellers, m)
				byProduct = append(byProduct, m.Text)
			}
		}
	}
	if h := t.Head; len(sellers) == 0 && t.Dep == "pobj" && p.s[h].Dep == "prep" {
		// "Geedge deployments for government customers in Kazakhstan":
		// the vendor is on the noun the customers hang on.
		for _, c := range p.children(p.s[h].Head, "poss", "compound") {
			if k := p.mentionOf[c]; k >= 0 && sellerOK(p.ms[k]) && !p.weak[k] {
				sellers = append(sellers, p.ms[k])
			}
		}
	}
	if len(sellers) == 0 && p.hasChild(i, "poss", "its") {
		// "Orrin counts the ministry among its clients".
		if m, ok := p.possessor(i); ok && sellerOK(m) {
			sellers = append(sellers, m)
		}
	}
	if h := t.Head; len(sellers) == 0 && p.s[h].Dep == "relcl" && p.hasChild(i, "poss", "whose") {
		// "Orrin, whose clients include the ministry": the name the
		// clause hangs on.
		if k := p.mentionOf[p.s[h].Head]; k >= 0 && sellerOK(p.ms[k]) {
			sellers = append(sellers, p.ms[k])
		}
	}
	if len(sellers) == 0 {
		return nil
	}
	buyerTokens := p.withConj(p.prepObjects(i, "including", "like", "as"))
	// "Cobwebs customers in Bangladesh, Hong Kong and Poland": the states
	// the customers are in.
	for _, o := range p.withConj(p.prepObjects(i, "in")) {
		if k := p.mentionOf[o]; k >= 0 && hasSchema(p.ms[k], records.SchemaCountry) {
			buyerTokens = append(buyerTokens, o)
		}
	}
	head := t.Head
	switch {
	case t.Dep == "attr":
		buyerTokens = append(buyerTokens, p.withConj(p.children(head, "nsubj"))...)
	case t.Dep == "pobj" && strings.EqualFold(p.s[head].Text, "as"):
		verb := p.s[head].Head
		buyerTokens = append(buyerTokens, p.withConj(p.children(verb, "nsubjpass", "nsubj", "dobj"))...)
	case t.Dep == "appos":
		buyerTokens = append(buyerTokens, head)
	case t.Dep == "pobj" && strings.EqualFold(p.s[head].Text, "of") && strings.EqualFold(p.s[p.s[head].Head].Text, "one") && p.s[p.s[head].Head].Dep == "appos":
		// "the ministry, one of Orrin's customers".
		buyerTokens = append(buyerTokens, p.s[p.s[head].Head].Head)
	case t.Dep == "pobj" && strings.EqualFold(p.s[head].Text, "among"):
		// "the ministry is among its customers", "counts the ministry
		// among its clients".
		verb := p.s[head].Head
		if strings.EqualFold(p.s[verb].Lemma, "be") {
			buyerTokens = append(buyerTokens, p.withConj(p.children(verb, "nsubj"))...)
		} else {
			buyerTokens = append(buyerTokens, p.withConj(p.children(verb, "dobj"))...)
		}
	case t.Dep == "nsubj" && slices.Contains([]string{"include", "comprise"}, strings.ToLower(p.s[head].Lemma)):
		// "Orrin's clients include the Egyptian government".
		buyerTokens = append(buyerTokens, p.withConj(p.children(head, "dobj"))...)
	}
	// "… hosts of Circles customers: Australia, Belgium and Chile": the
	// list after the colon.
	if len(buyerTokens) == 0 && i+1 < len(p.s) && p.s[i+1].Text == ":" {
		buyerTokens = p.listAfter(i+1, records.SchemaCountry, records.SchemaPublicBody)
		if len(buyerTokens) > 0 {
			why = append(why, "a list after the colon")
		}
	}
	var out []Found
	for _, b := range p.parties(buyerTokens, false, &why) {
		for _, s := range sellers {
			if buyerOK(b) && !sameEntity(s, b) {
				f := Found{Relation: records.RelSupplied, Subject: s, Object: b, Confidence: 0.7,
					Reasons: append([]string{"named as a customer: " + t.Text}, why...)}
				if slices.Contains(byProduct, s.Text) {
					f.Confidence = 0.4
					f.Reasons = append(f.Reasons, "its maker read from the product's name, which may name something else")
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// modifiedBy says whether one of the words modifies noun i: "potential
// customers", "its former owner", "public security bodies".
func (p *parsed) modifiedBy(i int, words ...string) bool {
	return slices.ContainsFunc(p.children(i, "amod", "compound"), func(c int) bool {
		return slices.Contains(words, strings.ToLower(p.s[c].Lemma))
	})
}

var (
	// hopes make a noun of custom or ownership a hope: "potential
	// customers", "a prospective owner".
	hopes = []string{"potential", "prospective", "possible", "would-be", "future"}
	// pasts make it what used to be: "its former owner".
	pasts = []string{"former", "previous", "erstwhile", "onetime"}
	// stateKinds say a "body" is the state's: "public security bodies",
	// not "student bodies".
	stateKinds = append([]string{"public", "state", "government"}, serviceWords...)
)

// supplierNouns name a vendor by its trade with a buyer: "a major
// contractor to China's military", "the main supplier of the police".
var supplierNouns = []string{"supplier", "contractor", "vendor", "provider"}

// saleNouns name a sale: "the purchase of cameras from Huawei", "Egypt's
// acquisition of the system", "the sale of spyware to Bahrain".
var saleNouns = []string{"purchase", "acquisition", "procurement", "sale", "delivery", "supply", "export"}

// nominal reads a sale or a trade named by a noun rather than a verb.
func (p *parsed) nominal(i int) []Found {
	t := p.s[i]
	lemma := strings.ToLower(t.Lemma)
	var why []string
	var sellers, buyers []Mention
	var acquisitions []Found
	delta := 0.0
	switch {
	case slices.Contains(dealNouns, lemma) && t.POS == "NOUN" && len(p.prepObjects(i, "between", "with")) > 0:
		// "a deal between Orrin and the ministry was signed", "Orrin's
		// contract with the ministry was renewed", "under a contract with
		// Orrin, the ministry received …": the company sold, the state
		// bought. A deal only named ("details of a deal between …") is
		// suggested; an agreement to keep a secret is no sale.
		if slices.ContainsFunc(p.children(i, "amod", "compound"), func(x int) bool {
			return slices.Contains([]string{"nondisclosure", "non-disclosure", "confidentiality", "cooperation", "partnership"}, strings.ToLower(p.s[x].Lemma))
		}) {
			return nil
		}
		sides := append(p.withConj(p.prepObjects(i, "between", "with")), p.children(i, "poss")...)
		headLemma := strings.ToLower(p.s[t.Head].Lemma)
		made := slices.Contains(dealVerbs, headLemma) || headLemma == "renew" || headLemma == "extend"
		if h := t.Head; t.Dep == "pobj" && slices.Contains([]string{"under", "through", "via"}, strings.ToLower(p.s[h].Text)) {
			sides = append(sides, p.children(p.s[h].Head, "nsubj", "nsubjpass")...)
			made = true
		}
		for _, x := range sides {
			if m, ok := p.stateParty(x); ok {
				buyers = append(buyers, m)
			} else if m, _, ok := p.party(x, true); ok && hasSchema(m, records.SchemaCompany) && sure(m) {
				sellers = append(sellers, m)
			}
		}
		why = append(why, "a deal of a vendor and a state")
		if !made {
			delta = -0.25
			why = append(why, "a deal named, not said to be made")
		}
	case slices.Contains(supplierNouns, lemma) && p.mentionOf[i] < 0:
		buyers = p.parties(p.withConj(p.prepObjects(i, "to", "for", "of")), false, &why)
		switch t.Dep {
		case "appos":
			sellers = p.parties([]int{t.Head}, true, &why)
		case "attr":
			sellers = p.parties(p.children(t.Head, "nsubj"), true, &why)
		}
	case slices.Contains(saleNouns, lemma) && t.POS == "NOUN":
		sellers = p.parties(p.withConj(p.prepObjects(i, "from", "by")), true, &why)
		buyers = p.parties(p.withConj(p.prepObjects(i, "to", "for")), false, &why)
		if lemma == "purchase" || lemma == "acquisition" || lemma == "procurement" {
			buyers = append(buyers, p.parties(p.children(i, "poss"), false, &why)...)
		} else {
			sellers = append(sellers, p.parties(p.children(i, "poss"), true, &why)...)
		}
		for _, th := range p.prepObjects(i, "of") {
			if k := p.mentionOf[th]; lemma == "acquisition" && k >= 0 && !p.weak[k] && hasSchema(p.ms[k], records.SchemaCompany) {
				// "Orrin's acquisition of Kestrel": a company bought.
				acquisitions = append(acquisitions, p.acquiredBy(p.ms[k], p.parties(p.children(i, "poss"), true, &why), "a noun of acquisition: "+t.Text)...)
				continue
			}
			sellers = append(sellers, p.makerOf(th)...)
		}
	default:
		return nil
	}
	if p.negatedNoun(i) {
		return nil // "may have made a purchase", an acquisition as much as a sale
	}
	if len(acquisitions) > 0 {
		return acquisitions
	}
	var out []Found
	for _, s := range sellers {
		for _, b := range buyers {
			if sellerOK(s) && p.canBuy(b) && !sameEntity(s, b) {
				f := Found{Relation: records.RelSupplied, Subject: s, Object: b, Confidence: 0.65 + delta,
					Reasons: append([]string{"a noun of trade: " + t.Text}, why...)}
				if p.guessed[s.Text] {
					f.Confidence -= 0.3
					f.Reasons = append(f.Reasons, s.Text+" may be the product, not its maker")
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// namedByForm are the companies a noun of corporate form names ("RCS
// Lab's legal entity, RCS ETM Sicurezza, was acquired by Cy4gate"): the
// name beside it, and its possessor only for "its legal entity" ("Cytrox's
// Hungarian company" is Cytrox's to sell); taken are their tokens.
func (p *parsed) namedByForm(th int) (named []Mention, taken []int) {
	if !slices.Contains(entityNouns, strings.ToLower(p.s[th].Lemma)) || p.mentionOf[th] >= 0 {
		return nil, nil
	}
	namers := p.children(th, "appos")
	if strings.EqualFold(p.s[th].Lemma, "entity") {
		namers = append(namers, p.children(th, "poss")...)
	}
	for _, c := range namers {
		if k := p.mentionOf[c]; k >= 0 && hasSchema(p.ms[k], records.SchemaCompany) {
			named, taken = append(named, p.ms[k]), append(taken, c)
		} else if m, ok := p.properName(c); ok && k < 0 && p.s[c].Dep == "appos" {
			named, taken = append(named, m), append(taken, c)
		}
	}
	return named, taken
}

// dealWon is the verb by which a deal was won, when verb v is the deal's
// purpose ("won a contract to supply …", "signed a deal to provide …"):
// the infinitive hangs on the deal or on the verb that got it. A deal
// only bid for, lost or denied is none.
func (p *parsed) dealWon(v int) (int, bool) {
	t := p.s[v]
	if !p.hasChild(v, "aux", "to") {
		return 0, false
	}
	w := t.Head
	switch t.Dep {
	case "acl", "relcl":
		if !wonDeal(p.s[w]) || p.s[w].Dep != "dobj" {
			return 0, false
		}
		w = p.s[w].Head
	case "advcl":
		if !slices.ContainsFunc(p.children(w, "dobj"), func(o int) bool { return wonDeal(p.s[o]) }) {
			return 0, false
		}
	default:
		return 0, false
	}
	if !slices.Contains(winVerbs, strings.ToLower(p.s[w].Lemma)) || p.negated(w) || p.hasAux(w, slices.Concat(speculation, future)...) {
		return 0, false
	}
	return w, true
}

// wonDeal says whether a token names a deal a vendor wins: not a licence,
// which permits a sale and makes none.
func wonDeal(t nlp.Token) bool {
	l := strings.ToLower(t.Lemma)
	return slices.Contains(dealNouns, l) && l != "licence" && l != "license"
}

// negatedNoun says whether the verb a noun hangs on is negated, denied or
// a guess: "denied the sale", "may have made a purchase".
func (p *parsed) negatedNoun(i int) bool {
	h := p.s[i].Head
	for h != i && p.s[h].POS != "VERB" && p.s[h].Head != h {
		h = p.s[h].Head
	}
	return p.s[h].POS == "VERB" && (p.negated(h) || p.hasAux(h, speculation...))
}

// negated says whether a verb is negated or denied: "did not sell",
// "denied selling", "denies that it sold".
func (p *parsed) negated(v int) bool {
	if len(p.children(v, "neg")) > 0 {
		return true
	}
	// "would no longer sell": the negation hangs on "longer".
	for _, a := range p.children(v, "advmod") {
		if strings.EqualFold(p.s[a].Text, "longer") && len(p.children(a, "neg")) > 0 {
			return true
		}
	}
	for h, seen, d := p.s[v].Head, 0, p.s[v].Dep; seen < 4 && h != v; h, seen = p.s[h].Head, seen+1 {
		if l := strings.ToLower(p.s[h].Lemma); l == "deny" || l == "reject" || l == "dispute" {
			return true
		}
		// "did not appear to sell": a negated verb the sale is the open
		// complement of; "is not known to have delivered" is no denial
		// but a doubt (decorate).
		if d == "xcomp" && len(p.children(h, "neg")) > 0 && !strings.EqualFold(p.s[h].Lemma, "know") {
			return true
		}
		d = p.s[h].Dep
		if p.s[h].Head == h {
			break
		}
	}
	return false
}

// hasAux says whether one of the words is an auxiliary of verb v: "may
// have sold" (speculation), "will win" (future).
func (p *parsed) hasAux(v int, words ...string) bool {
	return slices.ContainsFunc(p.children(v, "aux"), func(a int) bool {
		return slices.Contains(words, strings.ToLower(p.s[a].Text))
	})
}

// sure says whether a mention names a company for certain: one the graph
// or the industry list knows, or one whose legal form says so; not a name
// only the recogniser took for a company.
func sure(m Mention) bool { return !m.New || m.Listed || resolve.HasLegalForm(m.Text) }

// sellerOK and buyerOK are the mention kinds each side of a supply may be.
func sellerOK(m Mention) bool {
	return vendorLike(m) && !hasSchema(m, "Product") || m.New && hasSchema(m, records.SchemaCompany)
}

func buyerOK(m Mention) bool {
	return hasSchema(m, records.SchemaPublicBody, records.SchemaCountry, records.SchemaCompany)
}

// orgTail ends a company's name, whatever the parser took the name for.
var orgTail = regexp.MustCompile(`^(Networks|Systems|Technologies|Technology|Group|Labs|Solutions|Communications|Team|Software|Electronics|Telecom|Corporation|Holdings|Industries|Ltd|Inc|GmbH|AG|SpA|SA)\.?$`)

// bodyName is a name that says it is a state body: "the Hong Kong Police
// Force", "Immigration and Customs Enforcement".
var bodyName = regexp.MustCompile(`\b(Ministry|Police|Polis|Service|Services|Agency|Bureau|Department|Directorate|Office|Authority|Government|Army|Forces?|Guard|Gendarmerie|Council|Commission|Committee|Enforcement|Intelligence|Security|Telecom|Telecommunications?|Navy|Military|Corps|Administration|Prosecutor|Establishment|Battalion|Brigade|Regiment|Company of)\b`)

// buyer says whether mention k may be a buyer.
func (p *parsed) buyer(k int) bool { return p.canBuy(p.ms[k]) }

// canBuy says whether a mention may be a buyer: a weak one only when its
// name says it is a body.
func (p *parsed) canBuy(m Mention) bool {
	for k, w := range p.ms {
		if p.weak[k] && w.Start == m.Start && w.End == m.End && w.Text == m.Text {
			_, named := p.bodyByAcronym(m.Text)
			return bodyName.MatchString(m.Text) || named
		}
	}
	return buyerOK(m)
}

// bodyByAcronym is the body the page named before whose acronym a name
// is: "the RAB" after "the Rapid Action Battalion".
func (p *parsed) bodyByAcronym(name string) (Mention, bool) {
	if strings.ToUpper(name) != name {
		return Mention{}, false
	}
	bodies := slices.Clone(p.ms) // the sentence's own first
	if p.d != nil {
		bodies = append(bodies, p.d.bodies...)
	}
	for _, b := range bodies {
		if hasSchema(b, records.SchemaPublicBody) && b.Text != name && resolve.Acronym(b.Text, name) {
			return b, true
		}
	}
	return Mention{}, false
}

// sameEntity says whether two mentions are one entity.
func sameEntity(a, b Mention) bool {
	if a.New || b.New || len(a.Candidates) == 0 || len(b.Candidates) == 0 {
		return strings.EqualFold(a.Text, b.Text)
	}
	return a.Candidates[0].ID == b.Candidates[0].ID
}
