package extract

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/records"
)

// Incident is a shutdown, throttling or blocking a sentence reports: in
// which country, of which kind, from when to when.
type Incident struct {
	Kind       string // shutdown, throttling, blocking
	Country    Mention
	Start, End string
	Days       int // a duration the sentence gives ("a 46-day shutdown")
	// Parties are the bodies, operators and vendors the sentence makes
	// part of the incident.
	Parties    []Party
	Confidence float64
	Reasons    []string
}

// Party is an entity a sentence makes part of an incident, and how:
// "ordered" (a body that ordered or imposed it), "implemented" (an
// operator or body that carried it out), "technology" (a vendor or
// product whose equipment did it).
type Party struct {
	Mention Mention
	Role    string
}

// Strings are the incident's claims in the labelled set's form: where it
// occurred, and who was part of it.
func (inc Incident) Strings() []string {
	if len(inc.Country.Candidates) == 0 {
		return nil
	}
	out := []string{"OCCURRED_IN incident > " + mentionLabel(inc.Country)}
	for _, p := range inc.Parties {
		out = append(out, p.String())
	}
	return out
}

// String is the party in the labelled set's form.
func (p Party) String() string {
	return "INVOLVED_IN " + mentionLabel(p.Mention) + " > incident"
}

var (
	incidentKinds = []struct {
		kind string
		re   *regexp.Regexp
	}{
		{"shutdown", regexp.MustCompile(`(?i)\b(shutdowns?|shut down|shut off|cut off|blackout)\b`)},
		{"throttling", regexp.MustCompile(`(?i)\b(throttl(ed|ing|e))\b`)},
		{"blocking", regexp.MustCompile(`(?i)\b(block|blocked|blocking|blocks|restrict|restricted|restricting|restrictions on)\b[^.]{0,60}\b(access|websites?|sites|platforms?|social media|messaging|internet|live streams?|apps?)\b`)},
		{"blocking", regexp.MustCompile(`(?i)\b(access|websites?|sites|platforms?|social media|messaging|internet|live streams?|apps?)\b[^.]{0,60}\b(?:was|were|been|being|is|are)\s+(blocked|restricted)\b`)},
	}
	internetWords = regexp.MustCompile(`(?i)\b(internet|online|mobile data|network|connectivity|websites?|social media|platforms?|messaging|access|live streams?|streaming)\b`)
	dayMonth      = `(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+(\d{4}))?`
	fromUntil     = regexp.MustCompile(`(?i)\bfrom\s+` + dayMonth + `\s+(?:until|to|through|till)\s+` + dayMonth)
	onDay         = regexp.MustCompile(`(?i)\b(?:on|since|from|starting|beginning)\s+` + dayMonth)
	daysLong      = regexp.MustCompile(`(?i)\b(\d{1,4})[- ]day\b`)
	yearOnly      = regexp.MustCompile(`\b((?:19|20)\d\d)\b`)
	// ordering and doing are what a party does right after its name.
	ordering = regexp.MustCompile(`(?i)^\s*(?:(?:had|has|have|reportedly|also|then)\s+)*(ordered|imposed|instructed|mandated|demanded|(?:announced|said|declared)\s+(?:that\s+)?it\s+would\s+(?:restrict|block|shut down|shut off|cut off|throttle|limit))\b`)
	doing    = regexp.MustCompile(`(?i)^\s*(?:(?:had|has|have|reportedly|also|then)\s+)*(shut down|shut off|cut off|throttled|blocked|restricted|carried out|implemented|enforced|disconnected|to\s+(?:block|throttle|shut down|shut off|cut off|restrict))\b`)
	// equipmentOf is a vendor's kit named right after it ("Sandvine's
	// PacketLogic devices", "Sandvine equipment"); equipmentBy names it
	// before ("equipment made by Sandvine").
	equipmentOf = regexp.MustCompile(`(?i)^(?:'s?)?(?:\s+[A-Z][\w-]*){0,2}\s+(equipment|devices|technology|middleboxes|boxes|gear|products|systems?|software|hardware|DPI)\b`)
	equipmentBy = regexp.MustCompile(`(?i)\b(equipment|devices|technology|middleboxes|boxes|gear|products|systems?|software|hardware)\s+(made|supplied|sold|built|provided|manufactured)?\s*(by|from)\s*$`)
	usingWord   = regexp.MustCompile(`(?i)\busing\b`)
	notBefore   = regexp.MustCompile(`(?i)\b(not|never|no)\s+(to\s+|be\s+)?$`)
	usedFor     = regexp.MustCompile(`(?i)\b(used|using|deployed|employed)\b[^.]{0,40}\b(to|for|in)\b`)
)

func isoDay(d, month, year, fallbackYear string) string {
	y := year
	if y == "" {
		y = fallbackYear
	}
	if y == "" {
		return ""
	}
	n, _ := strconv.Atoi(d)
	day := fmt.Sprintf("%s-%s-%02d", y, monthNumber[strings.ToLower(month)], n)
	if !records.ValidDate(day) {
		return "" // "31 February", "0 May": no day, and records refuse it
	}
	return day
}

// Incidents finds the incidents of a sentence: an incident word about the
// internet or its services, with the country named. An incident whose
// sentence names no country has an empty Country: only the page around
// it (an earlier sentence about the same incident) can say where.
func (g *Gazetteer) Incidents(sentence string) []Incident {
	kind, word := "", ""
	for _, k := range incidentKinds {
		if w := k.re.FindString(sentence); w != "" {
			kind, word = k.kind, w
			break
		}
	}
	if kind == "" || !internetWords.MatchString(sentence) {
		return nil
	}
	// "denied blocking", "not to block": the sentence says it did not
	// happen.
	if denial.MatchString(sentence) || notBefore.MatchString(sentence[:strings.Index(sentence, word)]) {
		return nil
	}
	var country *Mention
	mentions := g.Find(sentence)
	for _, m := range mentions {
		if hasSchema(m, "Country") {
			country = &m
			break
		}
	}
	inc := Incident{Kind: kind, Confidence: 0.7, Reasons: []string{"incident word: " + word}}
	if country != nil {
		inc.Country = *country
	}
	year := yearOnly.FindString(sentence)
	if m := fromUntil.FindStringSubmatch(sentence); m != nil {
		endYear := cmp.Or(m[6], m[3], year)
		inc.Start, inc.End = isoDay(m[1], m[2], cmp.Or(m[3], endYear), ""), isoDay(m[4], m[5], endYear, "")
		if inc.Start == "" || inc.End < inc.Start {
			inc.End = "" // a period without a real start, or ending before it, is misread: keep the start only
		}
		inc.Reasons = append(inc.Reasons, "period: "+m[0])
	} else if m := onDay.FindStringSubmatch(sentence); m != nil {
		inc.Start = isoDay(m[1], m[2], m[3], year)
		inc.Reasons = append(inc.Reasons, "date: "+m[0])
	} else if year != "" {
		inc.Start = year
	}
	if m := daysLong.FindStringSubmatch(sentence); m != nil {
		inc.Days, _ = strconv.Atoi(m[1])
		inc.Reasons = append(inc.Reasons, "duration: "+m[0])
		if t, err := time.Parse("2006-01-02", inc.Start); err == nil && inc.End == "" && inc.Days > 0 {
			// "a 46-day shutdown" from its first day: the end is the
			// 46th day.
			if end := t.AddDate(0, 0, inc.Days-1).Format("2006-01-02"); records.ValidDate(end) {
				inc.End = end // not past year 9999, which no ISO date reaches
			}
		}
	}
	if h := hedge.FindString(sentence); h != "" {
		inc.Confidence -= 0.2
		inc.Reasons = append(inc.Reasons, "hedged: "+h)
	}
	inc.Parties = parties(sentence, mentions)
	return []Incident{inc}
}

// parties finds who the sentence makes part of its incident: a body or
// operator named right before "ordered" or "blocked"; a vendor or
// product whose equipment the sentence says was used. Publishers,
// researchers, platforms, people and countries never are.
func parties(s string, ms []Mention) []Party {
	var out []Party
	used := usedFor.MatchString(s) || usingWord.MatchString(s)
	for _, m := range ms {
		if !party(m) || m.New || len(m.Candidates) == 0 || hasSchema(m, "Country") {
			continue
		}
		after := s[m.End:]
		switch {
		case hasSchema(m, "PublicBody", "Company") && ordering.MatchString(after):
			out = append(out, Party{Mention: m, Role: "ordered"})
		case hasSchema(m, "PublicBody", "Company") && doing.MatchString(after):
			out = append(out, Party{Mention: m, Role: "implemented"})
		case hasSchema(m, "Company", "Product") && used && (equipmentOf.MatchString(after) || equipmentBy.MatchString(s[:m.Start])):
			out = append(out, Party{Mention: m, Role: "technology"})
		}
	}
	return out
}
