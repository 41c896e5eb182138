package extract

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/records"
)

// Version names this extractor in every claim it makes.
const Version = "report/2"

// SuggestBelow is the confidence under which a claim a sentence makes is
// not asserted but suggested to an editor: a guess ("may have sold"), a
// use that says nothing of a sale, a hedge on top of a party no one knows.
const SuggestBelow = 0.45

// Found is a claim a sentence makes: two mentions and a relation, with
// what the sentence says of it and why the confidence is what it is.
type Found struct {
	Relation        string // SUPPLIED, OWNS, ACQUIRED_BY, RENAMED_TO
	Subject, Object Mention
	Stage           string // for SUPPLIED: in_use when the sentence speaks of use
	Start           string
	Value           float64
	Currency        string
	Denies          bool
	Confidence      float64
	Reasons         []string
}

// parties are the mention kinds a supply can run between: a vendor is a
// company or a product's maker; a buyer is a public body, a country or a
// company (an operator). People, publishers and platforms are never
// parties.
func vendorLike(m Mention) bool {
	return hasSchema(m, "Company", "Product")
}

// A new organisation found by its legal form is a vendor, never a buyer:
// the rules read a buyer's name from fewer words, and precision comes
// first. A new public body is a buyer.
func buyerLike(m Mention) bool {
	if m.New {
		return hasSchema(m, "PublicBody")
	}
	return hasSchema(m, "PublicBody", "Country", "Company")
}

func hasSchema(m Mention, schemas ...string) bool {
	for _, c := range m.Candidates {
		if slices.Contains(schemas, c.Schema) {
			return true
		}
	}
	return false
}

// bystanders are publishers, researchers, platforms and the like: named in
// sentences about deals, never parties to them.
var bystanders = regexp.MustCompile(`(?i)^(citizen lab|amnesty( international)?|access now|human rights watch|privacy international|bloomberg|reuters|the guardian|guardian|new york times|washington post|haaretz|forbidden stories|occrp|iphr|azerbaijan internet watch|internet society( pulse)?|facebook|meta|twitter|x|whatsapp|google|apple|telegram|youtube|microsoft|the register|middle east eye|business & human rights resource centre|bhrrc|ndr|wdr)$`)

// Source says whether a sentence names m as who reports what it says.
// A name after "according to court filings" is what the filings say, not
// who says it.
func Source(sentence string, m Mention) bool {
	loc := source.FindStringIndex(sentence[max(0, m.Start-100):m.Start])
	return loc != nil && !papers.MatchString(sentence[max(0, m.Start-100):m.Start][loc[0]:])
}

// papers are what a source is when it is no one: "according to court
// filings", "documents reviewed by".
var papers = regexp.MustCompile(`(?i)\b(filings|documents|records|reports|papers|data|files|invoices|emails|contracts|statements|minutes)\b`)

func party(m Mention) bool {
	if bystanders.MatchString(m.Text) || hasSchema(m, "Person") {
		return false
	}
	return true
}

var (
	supplyVerb = regexp.MustCompile(`(?i)\b(sold|sells|selling|supplied|supplies|supplying|provided|provides|providing|delivered|delivers|delivering|installed|installs|exported|exports|exporting|shipped|ships|shipping)\b`)
	// companySale is a company passively "sold to" another: an
	// acquisition, not a supply.
	companySale = regexp.MustCompile(`(?i)^\s*(?:was|were|has been|had been|is being)\s+sold\s+to\s+(?:the\s+)?$`)
	// buyersIncluding follows a vendor (and its product) with the buyers
	// a sentence lists: "bought Hacking Team's Remote Control System,
	// including Azerbaijan, Bahrain and Sudan".
	buyersIncluding = regexp.MustCompile(`(?i)^(?:'s?)?[^.;]{0,80}?(?:,\s*|\s+)(?:including|such as|among them|among others)\s+(?:the\s+)?$`)
	// buyersBought is what stands before such a vendor: a plural of
	// buyers and an acquiring verb.
	buyersBought = regexp.MustCompile(`(?i)\b(countries|governments|agencies|clients|customers|buyers|states|authorities|regimes)\s+(?:have\s+|had\s+)?(bought|purchased|acquired|obtained|used|deployed)\s+(?:the\s+)?$`)
	acquireVerb  = regexp.MustCompile(`(?i)\b(obtained|purchased|bought|acquired|received|procured|uses|used|using|deployed)\b`)
	supplyWith   = regexp.MustCompile(`(?i)^\s*(supplied|provided|equipped|furnished)\s*$`)
	toWord       = regexp.MustCompile(`(?i)\b(to|for)\b`)
	fromOnly     = regexp.MustCompile(`(?i)\bfrom\b`)
	fromWord     = regexp.MustCompile(`(?i)\b(from|by|made by|built by|manufactured by)\b`)
	inUse        = regexp.MustCompile(`(?i)\b(using|used|uses|deployed|in use|on [^.]{0,40}network|devices|middleboxes|equipment made by|products from)\b`)
	// partOf follows a company with a piece of it: "took over NSN's
	// intelligence unit" buys the unit, not NSN.
	partOf = regexp.MustCompile(`^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}(unit|division|business|businesses|arm|operations?|activities|activity|assets|stake|subsidiary)\b`)
	// businessSale is a company selling a piece of itself: "sold its
	// cyber division to Elbit" is an acquisition, not a supply.
	businessSale = regexp.MustCompile(`(?i)\b(its|their|the|a)\s+(?:[\w-]+\s+){0,4}(unit|division|business|subsidiary|stake|arm|operations|activity|activities|majority)\b`)
	acquiredBy   = regexp.MustCompile(`(?i)\b(is|was|were|been|being)\s+(?:\w+\s+){0,2}(acquired|bought|purchased|taken over)\s+by\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$`)
	ownedBy      = regexp.MustCompile(`(?i)\b(is|was|are|were)\s+(wholly\s+|majority[- ])?owned by\b`)
	ownerOf      = regexp.MustCompile(`(?i)'s\s+(parent company|owner)\b|\b(parent company|owner)\s+of\b`)
	acquiredWord = regexp.MustCompile(`(?i)\b(acquired|bought|took over|purchased)\b`)
	renamed      = regexp.MustCompile(`(?i)\b(formerly known as|renamed|rebranded as|changed its name to)\b`)
	hedge        = regexp.MustCompile(`(?i)\b(apparently|allegedly|reportedly|reported to|is believed|are believed|was believed|appears to|appear to|may have|might have|according to (two|three|several|people|a person|sources)|suggest(s|ed)?|suspected)\b`)
	guess        = regexp.MustCompile(`(?i)^(may|might) have$`)
	// ended says a supply is over or about to be: a report of its end
	// is no report that it was made ("said it would stop selling to
	// China").
	ended  = regexp.MustCompile(`(?i)\b(stop|stops|stopped|cease|ceases|ceased|halt|halts|halted|suspend|suspends|suspended|end|ends|ended|no longer)\s+(selling|supplying|sales|providing|exporting|doing business|its sales|all sales)\b`)
	denial = regexp.MustCompile(`(?i)\b(denied|denies|deny|does not sell|do not sell|did not sell|never sold|has not sold|have not sold|no longer sells)\b`)
	// unknown says a sale is not known to have happened: a doubt, not a
	// denial, so a suggestion at most.
	unknown = regexp.MustCompile(`(?i)\b(not known to have|no evidence that)\b`)
	// source stands before a name that reports, not trades: "according
	// to an analysis published by the security company Lookout".
	source = regexp.MustCompile(`(?i)\b(according to|published (?:\w+ ){0,3}by|reported by|analy[sz]ed by|analysis by|report by|researchers (?:at|from)|investigation by|findings of|research by)\s+(?:[\w'’-]+\s+){0,6}$`)
	// planned is a purchase or sale intended, not made: "preparing to
	// buy more licences".
	planned     = regexp.MustCompile(`(?i)\b(preparing|prepared|planning|planned|plans|seeking|sought|trying|tried|attempting|attempted|hoping|wanted|intends|intended|considering|negotiating|in talks)\s+(to\s+)?(buy|purchase|acquire|procure|sell|supply|obtain|order|deliver|export)`)
	sinceYear   = regexp.MustCompile(`(?i)\b(since|from|in|starting in)\s+((?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?((?:19|20)\d\d)\b`)
	money       = regexp.MustCompile(`(?i)(\$|US\$|USD\s?|€|EUR\s?|£|GBP\s?)\s?(\d+(?:[.,]\d+)?)\s*(million|billion|m|bn)?\b`)
	clauseBreak = regexp.MustCompile(`(?i)\b(and|but|while|then|it|them|its)\b|;`)
	// boughtKit is what stands between a buyer and the vendor whose kit
	// it bought or used: "NTEC bought the", "Türk Telekom's network used".
	boughtKit = regexp.MustCompile(`(?i)^(?:'s?\s+(?:network|networks|systems?))?\s+(?:has\s+|have\s+|had\s+)?(bought|purchased|acquired|obtained|procured|used|uses|deployed|installed)\s+(?:the\s+|its\s+)?$`)
	// viaReseller is what stands between a vendor's kit and the company
	// it came through.
	viaReseller = regexp.MustCompile(`(?i)^\s*,?\s*(?:through|via)\s+(?:the\s+)?$`)
	listSep     = regexp.MustCompile(`^\s*(,|and|, and|or|as well as|such as|including|companies such as|firms such as|vendors such as|,?\s*along with(?: other)?(?: [a-z]+){0,3},? (?:including|such as))\s*$`)
)

var monthNumber = map[string]string{"january": "01", "february": "02", "march": "03", "april": "04", "may": "05", "june": "06",
	"july": "07", "august": "08", "september": "09", "october": "10", "november": "11", "december": "12"}

// Extract finds the claims a sentence makes.
func (g *Gazetteer) Extract(sentence string) []Found {
	var ms []Mention
	for _, m := range g.Find(sentence) {
		if party(m) && !Source(sentence, m) {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b Mention) int { return a.Start - b.Start })
	var out []Found
	out = append(out, supplies(sentence, ms)...)
	out = append(out, ownership(sentence, ms)...)
	for i := range out {
		decorate(sentence, &out[i])
	}
	return out
}

// ofState follows a country's name or demonym that stands for its state:
// "Egyptian authorities", "Turkish police".
var ofState = regexp.MustCompile(`^\s+(government|authorities|authority|state|regime|administration|police|military|army|intelligence|security|officials|agencies|ministry|ministries|forces)\b`)

// adjective says whether a country's demonym only describes the word
// after it, as in "the Chinese system" or "a French firm": no party.
func adjective(s string, m Mention) bool {
	if !onlySchema(m.Candidates, records.SchemaCountry) {
		return false
	}
	if !IsDemonym(m) {
		return false // "shipped to Iran through a distributor"
	}
	rest := s[m.End:]
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " "))
	return strings.HasPrefix(rest, " ") && unicode.IsLower(r) && !ofState.MatchString(rest)
}

// between is the text between two mentions.
func between(s string, a, b Mention) string {
	if a.End <= b.Start {
		return s[a.End:b.Start]
	}
	return s[b.End:a.Start]
}

// listAfter returns the mentions that continue a list starting at ms[i]
// ("Allot, Sandvine, NICE and others"), ms[i] included.
func listAfter(s string, ms []Mention, i int) []Mention {
	out := []Mention{ms[i]}
	for j := i + 1; j < len(ms); j++ {
		if !listSep.MatchString(s[ms[j-1].End:ms[j].Start]) {
			break
		}
		out = append(out, ms[j])
	}
	return out
}

// adjacent says whether only products stand between mentions i and j:
// a claim links neighbours ("Sandvine provided its PacketLogic devices to
// Türk Telekom"), not a party across another party.
func adjacent(ms []Mention, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if !hasSchema(ms[k], "Product") || ms[k].New {
			return false
		}
	}
	return true
}

// supplies reads "V sold … to B", "B obtained … from V", "B purchased
// from companies such as V1, V2 and V3", "B used products from V".
func supplies(s string, ms []Mention) []Found {
	var out []Found
	seen := map[string]bool{}
	add := func(v, b Mention, why string) {
		if v.Text == b.Text || !vendorLike(v) || !buyerLike(b) || adjective(s, b) {
			return
		}
		k := v.Text + "→" + b.Text
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, Found{Relation: "SUPPLIED", Subject: v, Object: b, Confidence: 0.7, Reasons: []string{why}})
	}
	for i, a := range ms {
		for j := i + 1; j < len(ms); j++ {
			b := ms[j]
			if !adjacent(ms, i, j) {
				break
			}
			mid := between(s, a, b)
			// The verb of a passive sentence may stand before the buyer:
			// "… was obtained by the NTEC from Sandvine".
			clause := s[max(0, a.Start-80):b.Start]
			switch {
			// "Allot supplied Delta Telecom with its platform".
			case supplyWith.MatchString(mid) && vendorLike(a) && !hasSchema(a, "Country"):
				add(a, b, "supply verb with the buyer as object: "+strings.TrimSpace(mid))
			// Active: "Sandvine sold equipment to the ministry", "has
			// been supplying it to the government, along with other
			// regimes, including Russia and Sudan"; not "Procera was sold
			// to Francisco Partners".
			case supplyVerb.MatchString(mid) && toWord.MatchString(mid) && vendorLike(a) && !hasSchema(a, "Country") &&
				!(companySale.MatchString(mid) && hasSchema(b, "Company")) && !businessSale.MatchString(mid):
				for _, x := range listAfter(s, ms, j) {
					add(a, x, "active supply verb: "+supplyVerb.FindString(mid))
				}
			// Passive buyer first: "the ministry obtained … from Sandvine",
			// "purchased from companies such as A, B, C".
			case acquireVerb.MatchString(clause) && fromWord.MatchString(mid) && buyerLike(a):
				for _, v := range listAfter(s, ms, j) {
					add(v, a, "buyer "+acquireVerb.FindString(clause)+" from the vendor")
				}
			// The buyer bought or used the vendor's kit: "NTEC bought
			// the Sandvine gear through Jet Infosystems", "Türk
			// Telekom's network used Sandvine PacketLogic devices".
			case boughtKit.MatchString(mid) && buyerLike(a) && hasSchema(b, "Company") && equipmentOf.MatchString(s[b.End:]):
				add(b, a, "buyer "+boughtKit.FindStringSubmatch(mid)[1]+" the vendor's equipment")
				kit := b.End + equipmentOf.FindStringIndex(s[b.End:])[1]
				for k := j + 1; k < len(ms); k++ {
					if r := ms[k]; r.Start >= kit && viaReseller.MatchString(s[kit:r.Start]) && vendorLike(r) {
						add(r, a, "bought through a reseller")
					}
				}
			// Deployment: "devices on Türk Telekom's network … made by
			// Sandvine", "using products from Sandvine".
			case inUse.MatchString(mid) && fromWord.MatchString(mid) && buyerLike(a) && !hasSchema(b, "Country"):
				for _, v := range listAfter(s, ms, j) {
					add(v, a, "deployment: "+inUse.FindString(mid))
				}
			}
		}
	}
	// "At least 45 countries bought Hacking Team's Remote Control
	// System, including Azerbaijan, Bahrain and Sudan".
	for i, v := range ms {
		if !vendorLike(v) || hasSchema(v, "Product") || !buyersBought.MatchString(s[:v.Start]) {
			continue
		}
		j := i + 1
		for j < len(ms) && hasSchema(ms[j], "Product") && !ms[j].New {
			j++
		}
		if j < len(ms) && buyersIncluding.MatchString(s[v.End:ms[j].Start]) {
			for _, b := range listAfter(s, ms, j) {
				add(v, b, "buyers "+buyersBought.FindStringSubmatch(s[:v.Start])[2]+" the vendor's product, including this one")
			}
		}
	}
	for i := range out {
		if inUse.MatchString(s) {
			out[i].Stage = "in_use"
		}
	}
	return out
}

// ownership reads "X is owned by Y", "X's owner Y", "Y acquired X",
// "formerly known as A … renamed B".
func ownership(s string, ms []Mention) []Found {
	var out []Found
	companies := func(m Mention) bool { return hasSchema(m, "Company") }
	// A country named between two companies is an adjective ("the
	// Canadian company Sandvine"), not a party.
	ms = slices.DeleteFunc(slices.Clone(ms), func(m Mention) bool { return onlySchema(m.Candidates, "Country") })
	for i := 0; i+1 < len(ms); i++ {
		a, b := ms[i], ms[i+1]
		if !companies(a) || !companies(b) {
			continue
		}
		mid := between(s, a, b)
		switch {
		case ownedBy.MatchString(mid):
			out = append(out, Found{Relation: "OWNS", Subject: b, Object: a, Confidence: 0.75, Reasons: []string{"owned by"}})
		case ownerOf.MatchString(mid):
			// "A's owner B" and "A's parent company, B": B owns A; "A, the
			// owner of B" and "A, a former owner of B": A owns B.
			owner, owned := b, a
			if m := ownerOf.FindStringSubmatch(mid); m[1] == "" {
				owner, owned = a, b
			}
			out = append(out, Found{Relation: "OWNS", Subject: owner, Object: owned, Confidence: 0.7, Reasons: []string{"owner named"}})
		case renamed.MatchString(mid):
			// "A, formerly known as B": B was renamed A; "A was renamed B".
			if strings.Contains(strings.ToLower(mid), "formerly") {
				out = append(out, Found{Relation: "RENAMED_TO", Subject: b, Object: a, Confidence: 0.75, Reasons: []string{"formerly known as"}})
			} else {
				out = append(out, Found{Relation: "RENAMED_TO", Subject: a, Object: b, Confidence: 0.75, Reasons: []string{"renamed"}})
			}
		// "Y acquired X", "Y bought the Canadian company X"; not "Y bought
		// the company in 2017 and merged it with X", where the acquired
		// company is another clause's.
		// "Procera Networks was sold to Francisco Partners".
		case companySale.MatchString(mid):
			out = append(out, Found{Relation: "ACQUIRED_BY", Subject: a, Object: b, Confidence: 0.7, Reasons: []string{"sold to"}})
		// "BlackBag, which was itself bought by Cellebrite".
		case acquiredBy.MatchString(mid) && !partOf.MatchString(mid):
			out = append(out, Found{Relation: "ACQUIRED_BY", Subject: a, Object: b, Confidence: 0.7, Reasons: []string{"acquired by"}})
		case acquiredWord.MatchString(mid) && !fromOnly.MatchString(mid) && !clauseBreak.MatchString(mid) && !partOf.MatchString(s[b.End:]):
			out = append(out, Found{Relation: "ACQUIRED_BY", Subject: b, Object: a, Confidence: 0.7, Reasons: []string{"acquired"}})
		}
	}
	return out
}

// decorate adds what the whole sentence says of a claim: its date, its
// value, hedges and denials.
func decorate(s string, f *Found) {
	if m := sinceYear.FindStringSubmatch(s); m != nil {
		f.Start = m[3]
		if mo := monthNumber[strings.ToLower(strings.TrimSpace(m[2]))]; mo != "" {
			f.Start += "-" + mo
		}
		f.Reasons = append(f.Reasons, "date: "+strings.TrimSpace(m[0]))
	}
	if f.Relation == "SUPPLIED" {
		if m := money.FindStringSubmatch(s); m != nil {
			v, err := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", ""), 64)
			if err == nil {
				switch strings.ToLower(m[3]) {
				case "million", "m":
					v *= 1e6
				case "billion", "bn":
					v *= 1e9
				}
				f.Value = v
				f.Currency = map[string]string{"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP"}[strings.ToLower(strings.TrimSpace(m[1]))]
				f.Reasons = append(f.Reasons, "amount: "+strings.TrimSpace(m[0]))
			}
		}
	}
	if h := hedge.FindString(s); h != "" {
		f.Confidence -= 0.2
		f.Reasons = append(f.Reasons, "hedged: "+h)
		// "may have sold" is a guess, not a report: a suggestion.
		if guess.MatchString(h) {
			f.Confidence -= 0.3
			f.Reasons = append(f.Reasons, "a guess")
		}
	}
	if pl := planned.FindString(s); pl != "" && f.Relation == "SUPPLIED" {
		notMade(f, "intended: "+pl)
	}
	if u := unknown.FindString(s); u != "" && f.Relation == "SUPPLIED" {
		f.Confidence -= 0.4
		f.Reasons = append(f.Reasons, "not known to have happened: "+u)
	}
	if e := ended.FindString(s); e != "" && f.Relation == "SUPPLIED" {
		notMade(f, "an end of sales: "+e)
	}
	if d := denial.FindString(s); d != "" {
		f.Denies = true
		f.Reasons = append(f.Reasons, "denial: "+d)
	}
	// Doubts add up (a guess, hedged, about a party no one knows); a
	// confidence stays one, however many.
	f.Confidence = min(max(f.Confidence, 0.05), 1)
	f.Confidence = float64(int(f.Confidence*100+0.5)) / 100
}

// notMadeReason begins the reason of a sale only intended or ended.
const notMadeReason = "not made, "

// notMade lowers a sale the sentence says was only intended or has ended
// ("preparing to buy", "would stop selling"): once, however many of the
// extractors' readings say so.
func notMade(f *Found, why string) {
	if slices.ContainsFunc(f.Reasons, func(r string) bool { return strings.HasPrefix(r, notMadeReason) }) {
		return
	}
	f.Confidence -= 0.35
	f.Reasons = append(f.Reasons, notMadeReason+why)
}

// Coarser says whether a reads the same claim as b with the buyer's
// country where b names the body: "Sandvine > Egypt" and "Sandvine > the
// Government of Egypt", from one sentence.
func Coarser(a, b Found) bool {
	return a.Relation == b.Relation && a.Denies == b.Denies && mentionLabel(a.Subject) == mentionLabel(b.Subject) &&
		b.Object.Of != "" && mentionLabel(a.Object) == b.Object.Of
}

// String is a claim as the labelled set writes it: "SUPPLIED a > b".
// mentionLabel names a mention in the labelled set: its (first) entity's
// id, or "new:" and its text.
func mentionLabel(m Mention) string {
	if m.Listed {
		return "new:" + ListedName(m)
	}
	if m.New || len(m.Candidates) == 0 {
		return "new:" + m.Text
	}
	return m.Candidates[0].ID
}

func (f Found) String() string {
	s := fmt.Sprintf("%s %s > %s", f.Relation, mentionLabel(f.Subject), mentionLabel(f.Object))
	if f.Denies {
		s = "denies " + s
	}
	return s
}
