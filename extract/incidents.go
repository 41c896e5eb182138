package extract

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Incident is a shutdown, throttling or blocking a sentence reports: in
// which country, of which kind, from when to when.
type Incident struct {
	Kind       string // shutdown, throttling, blocking
	Country    Mention
	Start, End string
	Days       int // a duration the sentence gives ("a 46-day shutdown")
	Confidence float64
	Reasons    []string
}

var (
	incidentKinds = []struct {
		kind string
		re   *regexp.Regexp
	}{
		{"shutdown", regexp.MustCompile(`(?i)\b(shutdowns?|shut down|shut off|cut off|blackout)\b`)},
		{"throttling", regexp.MustCompile(`(?i)\b(throttl(ed|ing|e))\b`)},
		{"blocking", regexp.MustCompile(`(?i)\b(blocked|blocking|blocks)\b[^.]{0,60}\b(access|websites?|sites|platforms?|social media|messaging|internet|live streams?|apps?)\b`)},
	}
	internetWords = regexp.MustCompile(`(?i)\b(internet|online|mobile data|network|connectivity|websites?|social media|platforms?|messaging|access)\b`)
	dayMonth      = `(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+(\d{4}))?`
	fromUntil     = regexp.MustCompile(`(?i)\bfrom\s+` + dayMonth + `\s+(?:until|to|through|till)\s+` + dayMonth)
	onDay         = regexp.MustCompile(`(?i)\b(?:on|since|from|starting|beginning)\s+` + dayMonth)
	daysLong      = regexp.MustCompile(`(?i)\b(\d{1,4})[- ]day\b`)
	yearOnly      = regexp.MustCompile(`\b((?:19|20)\d\d)\b`)
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
	return fmt.Sprintf("%s-%s-%02d", y, monthNumber[strings.ToLower(month)], n)
}

// Incidents finds the incidents of a sentence: an incident word about the
// internet or its services, and a country named; no country, no incident
// (a reader could not say where).
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
	var country *Mention
	for _, m := range g.Find(sentence) {
		if hasSchema(m, "Country") {
			country = &m
			break
		}
	}
	if country == nil {
		return nil
	}
	inc := Incident{Kind: kind, Country: *country, Confidence: 0.7, Reasons: []string{"incident word: " + word}}
	year := yearOnly.FindString(sentence)
	if m := fromUntil.FindStringSubmatch(sentence); m != nil {
		endYear := cmp.Or(m[6], m[3], year)
		inc.Start, inc.End = isoDay(m[1], m[2], cmp.Or(m[3], endYear), ""), isoDay(m[4], m[5], endYear, "")
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
			inc.End = t.AddDate(0, 0, inc.Days-1).Format("2006-01-02")
		}
	}
	if h := hedge.FindString(sentence); h != "" {
		inc.Confidence -= 0.2
		inc.Reasons = append(inc.Reasons, "hedged: "+h)
	}
	return []Incident{inc}
}
