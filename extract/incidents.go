package extract

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
)

// Incident is a shutdown, throttling or blocking a sentence reports: in
// which country, of which kind, from when to when.
type Incident struct {
	Kind       string // shutdown, throttling, blocking
	Country    Mention
	Start, End string
	Days       int // a duration the sentence gives ("a 46-day shutdown")
	// Follows marks a sentence that only tells how an incident the page
	// named before ended ("mobile data returned on 18 November"): it
	// starts none. Kind is then a guess from what returned.
	Follows bool
	// Refers marks a sentence that does not say its incident was of the
	// internet ("the outage lasted 61 hours", "Iraq imposed its own
	// shutdown in October 2019"): it joins one the page named, or starts
	// one only on a page that has spoken of others.
	Refers bool
	// Yearless marks dates whose year the sentence did not give: the
	// page's year was taken, which the incident joined may correct.
	Yearless bool
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
		{"shutdown", regexp.MustCompile(`(?i)\b(shutdowns?|shut down|shut off|shutting down|switched off|switch off|cut off|cut (?:the )?(?:country|region|city|province|state) off|(?:was|were|been|be|is|are|had been)\s+(?:\w+\s+)?cut|blackouts?|outages?|went dead|went dark|disconnected|(?:internet|data|mobile|services?|connectivity)\b[^.]{0,30}\bsuspended|suspension of (?:\w+ ){0,2}(?:internet|data|mobile)|vanish(?:ing|ed) from (?:the )?(?:global )?(?:internet|web)|went silent|fell silent|went down|stopped working|cut (?:\w+ ){0,2}(?:internet|data|connections|access|services)|(?:took|taking|take|knocked|knocking|went|going|gone|cut|cutting)\s+(?:\w+\s+){0,2}offline)\b`)},
		{"throttling", regexp.MustCompile(`(?i)\b(throttl(ed|ing|e)|slow(?:ed|ing)? down|slowdown|slowed|(?:allowed|limited|restricted) (?:to )?2G)\b`)},
		{"blocking", regexp.MustCompile(`(?i)\b(block|blocked|blocking|blocks|restrict|restricted|restricting|restrictions on|banned|ban on)\b[^.]{0,60}\b(access|websites?|sites|platforms?|social media|social networks?|messaging|internet|live streams?|apps?|encyclopedia|portals?|services|VPNs?|` + platformNames + `)\b`)},
		{"blocking", regexp.MustCompile(`(?i)\b(access|websites?|sites|platforms?|social media|social networks?|messaging|internet|live streams?|apps?|` + platformNames + `)\b[^.]{0,60}\b(?:was|were|been|being|be|is|are|became|become)\s+(blocked|restricted|banned|unreachable|inaccessible)\b`)},
	}
	// platformNames are services whose blocking is named by the service.
	platformNames = `twitter|facebook|whatsapp|youtube|instagram|telegram|tiktok|wikipedia|signal|skype|viber`
	slowWords     = regexp.MustCompile(`(?i)\b(slowdown|slowing|throttling|speeds?)\b`)
	banWords      = regexp.MustCompile(`(?i)\b(bans?|block|blocks|blocking)\b`)
	nextDay       = regexp.MustCompile(`(?i)\b(the following day|the next day|a day later)\b`)
	platforms     = regexp.MustCompile(`(?i)\b(websites?|sites|platforms?|social media|social networks?|encyclopedia|portals?|` + platformNames + `)\b`)
	// restoration says a sentence tells how an incident named before
	// ended: "mobile data finally returned on 18 November".
	restoration   = regexp.MustCompile(`(?i)\b(returned|return|restored|(?:came|come|coming|trickle|trickled|began to trickle) back|resumed|reconnected|lifted|ended|unblocked|back online)\b`)
	internetWords = regexp.MustCompile(`(?i)\b(internet|online|mobile (?:data|internet|networks?|services?|connections?)|data services|network|networks|connectivity|connections?|websites?|social media|social networks?|platforms?|messaging|access|live streams?|streaming|landlines|phone lines|` + platformNames + `)\b`)
	daysLong      = regexp.MustCompile(`(?i)\b(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)[- ](days?|hours?)\b`)
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

// number reads a count written in digits or in words (to sixty).
func number(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
		"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}
	if i := slices.Index(words, strings.ToLower(s)); i >= 0 {
		return i
	}
	return map[string]int{"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}[strings.ToLower(s)]
}

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
func (g *Gazetteer) Incidents(sentence string) []Incident { return g.IncidentsIn(sentence, "") }

// IncidentsIn is Incidents for a sentence of a page that has spoken of
// year: a date without its year ("on 5 January") is in it. A sentence
// that only says how an incident named before ended ("the disruption,
// which ended on 12 August", "mobile data returned on 18 November") is
// marked Follows, with its end and a kind guessed from what returned: the
// page joins it to the open incident it spoke of last.
func (g *Gazetteer) IncidentsIn(sentence, year string) []Incident {
	kind, word := "", ""
	for _, k := range incidentKinds {
		if w := k.re.FindString(sentence); w != "" {
			kind, word = k.kind, w
			break
		}
	}
	internet, before := internetWords.MatchString(sentence), namedBefore.MatchString(sentence)
	follows := false
	if kind == "" {
		word = restoration.FindString(sentence)
		if word == "" || !before && !internet {
			return nil
		}
		follows, kind = true, "shutdown"
		switch {
		case slowWords.MatchString(sentence):
			kind = "throttling" // "the slowdown was lifted"
		case banWords.MatchString(sentence) || platforms.MatchString(sentence):
			kind = "blocking" // "the ban was lifted", "access to Twitter was restored"
		}
	}
	// "The outage lasted 61 hours" says nothing of the internet, but of
	// an incident named before: it joins one and starts none. "A power
	// blackout" names none before and is no incident of ours.
	if !internet && !before {
		return nil
	}
	refers := !internet
	// "denied blocking", "not to block": the sentence says it did not
	// happen.
	if denial.MatchString(sentence) || notBefore.MatchString(sentence[:strings.Index(sentence, word)]) {
		return nil
	}
	mentions := g.Find(sentence)
	country := incidentCountry(sentence, mentions)
	inc := Incident{Kind: kind, Follows: follows, Refers: refers, Confidence: 0.7, Reasons: []string{"incident word: " + word},
		Yearless: Year(sentence) == ""}
	if country != nil {
		inc.Country = *country
	}
	inc.Start, inc.End = readDates(sentence, year, follows, &inc.Reasons)
	if m := nextDay.FindString(sentence); m != "" && inc.Days == 0 && inc.End == "" && restoration.MatchString(sentence) {
		inc.Days = 1 // "the slowdown, which was lifted the following day"
		inc.Reasons = append(inc.Reasons, "ended: "+m)
	}
	if follows && inc.End == "" && inc.Start != "" {
		// "Ethio Telecom announced in late December 2022 that service
		// had been restored": a sentence about an end dates the end.
		inc.Start, inc.End = "", inc.Start
	}
	if m := duration(sentence); m != nil {
		inc.Days = number(sentence[m[2]:m[3]])
		if strings.HasPrefix(strings.ToLower(sentence[m[4]:m[5]]), "hour") {
			// "the 61-hour outage" from the evening of 9 August ended on
			// the morning of the 12th; a two-hour one, the same day.
			inc.Days = (inc.Days + 12) / 24
		}
		inc.Reasons = append(inc.Reasons, "duration: "+sentence[m[0]:m[1]])
		if inc.End == "" && inc.Days > 0 {
			// "a 46-day shutdown" from 27 September ended on 12
			// November: reports count the days between.
			inc.End = DaysOn(inc.Start, inc.Days)
		}
	}
	if h := hedge.FindString(sentence); h != "" {
		inc.Confidence -= 0.2
		inc.Reasons = append(inc.Reasons, "hedged: "+h)
	}
	if follows && inc.End == "" {
		return nil // "access was restored" says no more than that
	}
	inc.Parties = parties(sentence, mentions)
	return []Incident{inc}
}

var (
	monthName = `(January|February|March|April|May|June|July|August|September|October|November|December)`
	// dmyDate is "5 January (2022)", mdyDate "January 5(, 2022)",
	// monthDate "(early) March (2011)".
	dmyDate   = regexp.MustCompile(`\b(\d{1,2})\s+` + monthName + `(?:,?\s+(\d{4}))?\b`)
	mdyDate   = regexp.MustCompile(`\b` + monthName + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,\s*(\d{4}))?`)
	monthDate = regexp.MustCompile(`\b(?:(early|mid|late|the end of|the beginning of|the middle of|the start of)[\s-]+)?` + monthName + `(?:\s+(?:of\s+)?(\d{4}))?\b`)
	// monthAlone stands before a month that names a date, not a verb
	// ("in May", not "may").
	monthAlone = regexp.MustCompile(`(?i)\b(in|since|from|until|till|by|through|during|early|mid|late|of)[\s-]+$`)
	// endCue stands before a date that ends an incident; resumedCue too,
	// but only in a sentence about an incident's end ("protesters
	// returned to the streets on 5 May" ends nothing).
	endCue     = regexp.MustCompile(`(?i)\b(until|till|through|ended|ending|restored|reconnected|lifted|back online|unblocked|reopened)\b[^.;,]{0,30}$`)
	resumedCue = regexp.MustCompile(`(?i)\b(returned|return|resumed|came back|come back|trickle back|end)\b[^.;,]{0,30}$`)
	// countedFrom follows a count of days that dates or counts something
	// else: "two days after the earthquakes", "two days of protests".
	countedFrom = regexp.MustCompile(`(?i)^\s+(after|later|before|earlier|ago|following|into|of|within|every|each)\b`)
	// lastedFor stands before a length written with a space: "for 46
	// days", "lasted 61 hours"; "46-day" needs none.
	lastedFor = regexp.MustCompile(`(?i)\b(for|lasted|lasting|spanning|over|nearly|almost|about|some|more than)\s+$`)
	// namedBefore is an incident a page spoke of before: "the outage",
	// "that shutdown", "the 46-day blackout".
	namedBefore = regexp.MustCompile(`(?i)\b(the|that|this|its)\s+(?:[\w-]+\s+){0,2}(disruptions?|outages?|blackouts?|shutdowns?|bans?|blocks?|slowdowns?|throttling)\b`)
	// dayRange is two days of one month: "from 9 to 12 August 2020".
	dayRange = regexp.MustCompile(`\b(\d{1,2})\s*(?:to|-|–|and|until|till)\s*(\d{1,2})\s+` + monthName + `(?:,?\s+(\d{4}))?\b`)
	// daysAfter stands before a date that another is counted from.
	daysAfter = regexp.MustCompile(`(?i)\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+(?:after|following)\b[^.,;]{0,40}$`)
	// toBetween joins two dates of a period: "from 9 to 12 August".
	toBetween = regexp.MustCompile(`^\s*(?:to|until|till|through|-|–|and)\s*$`)
)

// incidentCountry is where a sentence's incident is: the first country it
// names by name, or else by a demonym of its state or its users ("Iranian
// censors", "Belarusian authorities"); a demonym of anything else
// ("Armenian forces", "a French firm") is no place. Nil when none: the
// page may say.
func incidentCountry(sentence string, ms []Mention) *Mention {
	var byDemonym *Mention
	for i, m := range ms {
		if !onlySchema(m.Candidates, "Country") {
			continue
		}
		if !IsDemonym(m) {
			return &ms[i]
		}
		if byDemonym == nil && demonymOfPlace.MatchString(sentence[m.End:]) {
			byDemonym = &ms[i]
		}
	}
	return byDemonym
}

// IsDemonym says whether a country's mention is its demonym ("Israeli"),
// not its name.
func IsDemonym(m Mention) bool {
	if len(m.Candidates) == 0 {
		return false
	}
	c, ok := country.Lookup(strings.TrimPrefix(m.Candidates[0].ID, "country:"))
	return ok && strings.EqualFold(c.Demonym, m.Text)
}

// demonymOfPlace follows a demonym that stands for its country's state,
// networks or users.
var demonymOfPlace = regexp.MustCompile(`(?i)^\s+(authorities|government|officials|regulators?|police|state|censors|internet|users|providers|operators|networks?|telecoms?|mobile)\b`)

// dated is a date a sentence gives, where it stands, and whether it ends
// an incident.
type dated struct {
	iso        string
	start, end int
	ends       bool
	yearless   bool // the year was not in the sentence
}

// readDates finds the start and the end of an incident in a sentence:
// its dates, whole or a month, each a start unless what stands before it
// says it ended one ("until", "returned on", "lifted on"), or it follows
// another date of a period ("from 9 to 12 August"). A date without its
// year takes the sentence's year, or else year; a year alone is a start.
func readDates(sentence, year string, follows bool, why *[]string) (start, end string) {
	if y := Year(sentence); y != "" {
		year = y
	}
	var ds []dated
	taken := func(a, b int) bool {
		for _, d := range ds {
			if a < d.end && d.start < b {
				return true
			}
		}
		return false
	}
	for _, m := range dayRange.FindAllStringSubmatchIndex(sentence, -1) {
		month, y := group(sentence, m, 3), group(sentence, m, 4)
		first, last := isoDay(group(sentence, m, 1), month, y, year), isoDay(group(sentence, m, 2), month, y, year)
		if first != "" && last != "" && first <= last {
			ds = append(ds, dated{iso: first, start: m[0], end: m[3], yearless: y == ""},
				dated{iso: last, start: m[4], end: m[1], ends: true, yearless: y == ""})
		}
	}
	// "5 January 2021" and "January 5, 2021": the day and the month are
	// the two forms' groups 1 and 2, in turn.
	for _, form := range []struct {
		re         *regexp.Regexp
		day, month int
	}{{dmyDate, 1, 2}, {mdyDate, 2, 1}} {
		for _, m := range form.re.FindAllStringSubmatchIndex(sentence, -1) {
			if taken(m[0], m[1]) {
				continue
			}
			y := group(sentence, m, 3)
			if iso := isoDay(group(sentence, m, form.day), group(sentence, m, form.month), y, year); iso != "" {
				ds = append(ds, dated{iso: iso, start: m[0], end: m[1], yearless: y == ""})
			}
		}
	}
	for _, m := range monthDate.FindAllStringSubmatchIndex(sentence, -1) {
		y := cmp.Or(group(sentence, m, 3), year)
		if taken(m[0], m[1]) || y == "" || group(sentence, m, 3) == "" && group(sentence, m, 1) == "" && !monthAlone.MatchString(sentence[:m[0]]) {
			continue
		}
		ds = append(ds, dated{iso: y + "-" + monthNumber[strings.ToLower(group(sentence, m, 2))], start: m[0], end: m[1], yearless: group(sentence, m, 3) == ""})
	}
	slices.SortFunc(ds, func(a, b dated) int { return a.start - b.start })
	for i, d := range ds {
		// "two days after the earthquakes of 6 February".
		if m := daysAfter.FindStringSubmatch(sentence[:d.start]); m != nil && number(m[1]) > 0 {
			if later := DaysOn(d.iso, number(m[1])); later != "" {
				ds[i].iso = later
			}
		}
	}
	for i := range ds {
		from := 0
		if i > 0 {
			from = ds[i-1].end
		}
		before := sentence[from:ds[i].start]
		ds[i].ends = ds[i].ends || endCue.MatchString(before) || follows && resumedCue.MatchString(before) ||
			i > 0 && !ds[i-1].ends && toBetween.MatchString(before)
	}
	endYearless, startYearless := false, false
	for _, d := range ds {
		switch {
		case d.ends && end == "":
			end, endYearless = d.iso, d.yearless
			*why = append(*why, "ends: "+d.iso)
		case !d.ends && start == "":
			start, startYearless = d.iso, d.yearless
			*why = append(*why, "starts: "+d.iso)
		}
	}
	if len(ds) == 0 {
		if y := Year(sentence); y != "" {
			start = y
		}
	}
	if start != "" && end != "" && records.DateBefore(end, start) {
		// "from 28 December until 3 January": an end without its year
		// is in the next; otherwise it is misread, and the start stays.
		// "from 28 December until 3 January 2020": the start is of the
		// year before.
		if next := nextYear(end); endYearless && next != "" && !records.DateBefore(next, start) {
			end = next
		} else if prev := yearBack(start); startYearless && !endYearless && prev != "" && !records.DateBefore(end, prev) {
			start = prev
		} else {
			end = ""
		}
	}
	return start, end
}

// duration finds the length of an incident: "a 46-day shutdown", "the
// 61-hour outage", "lasted 36 days"; not "two days of protests", "within
// 24 hours", nor "twenty-one days" read as one. The submatches are the
// count and the unit.
func duration(sentence string) []int {
	for _, m := range daysLong.FindAllStringSubmatchIndex(sentence, -1) {
		hyphened := sentence[m[3]] == '-'
		switch {
		case m[0] > 0 && sentence[m[0]-1] == '-':
		case countedFrom.MatchString(sentence[m[1]:]):
		case !hyphened && !lastedFor.MatchString(sentence[:m[0]]):
		default:
			return m
		}
	}
	return nil
}

// Year is the first year a text gives, or "": a four-digit number before
// a word ("blocked 2000 websites") counts something else, unless what
// stands before it makes it a year ("the 2011 uprising", "in 2019").
func Year(s string) string {
	for _, m := range yearOnly.FindAllStringIndex(s, -1) {
		rest := s[m[1]:]
		r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(rest, " "))
		if strings.HasPrefix(rest, " ") && unicode.IsLower(r) && !yearBefore.MatchString(s[:m[0]]) {
			continue
		}
		return s[m[0]:m[1]]
	}
	return ""
}

// yearBefore stands before a number that is a year.
var yearBefore = regexp.MustCompile(`(?i)(\b(in|since|from|until|till|by|of|the|early|late|mid|during|before|after|spring|summer|autumn|winter|` +
	strings.ToLower(strings.Trim(monthName, "()")) + `)|,)\s*$`)

// SentenceDate is the first date a sentence gives that ends nothing, as
// an incident's start would be read, or "": a sentence about an event
// ("when the military seized power on 25 October 2021") dates the
// incident the next one reports ("within hours, mobile data was cut").
func SentenceDate(sentence, year string) string {
	var why []string
	start, _ := readDates(sentence, year, false, &why)
	if len(start) < 7 {
		return "" // a year alone dates too loosely
	}
	return start
}

// nextYear and yearBack are a date a year on or back, or "".
func nextYear(d string) string { return YearsOn(d, 1) }
func yearBack(d string) string { return YearsOn(d, -1) }

// YearsOn is a date (YYYY, YYYY-MM or YYYY-MM-DD) n years on, or "" when
// that is no date (past year 9999, 29 February of a common year).
func YearsOn(d string, n int) string {
	if len(d) < 4 {
		return ""
	}
	y, err := strconv.Atoi(d[:4])
	if err != nil {
		return ""
	}
	moved := strconv.Itoa(y+n) + d[4:]
	if !records.ValidDate(moved) {
		return ""
	}
	return moved
}

// DaysOn is the day n days after a YYYY-MM-DD date, or "" when the date
// is not one or the day would be past year 9999.
func DaysOn(d string, n int) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return ""
	}
	if later := t.AddDate(0, 0, n).Format(time.DateOnly); records.ValidDate(later) {
		return later
	}
	return ""
}

// group is submatch n of a match's indexes, or "".
func group(s string, m []int, n int) string {
	if m[2*n] < 0 {
		return ""
	}
	return s[m[2*n]:m[2*n+1]]
}

// parties finds who the sentence makes part of its incident: a body or
// operator named right before "ordered" or "blocked"; a vendor or
// product whose equipment the sentence says was used. Publishers,
// researchers, platforms, people and countries never are.
func parties(s string, ms []Mention) []Party {
	var out []Party
	used := usedFor.MatchString(s) || usingWord.MatchString(s)
	for _, m := range ms {
		// A party is an entity of the graph: a listed product without
		// one is none.
		if !party(m) || m.New || len(m.Candidates) == 0 || m.Candidates[0].ID == "" || hasSchema(m, "Country") {
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
