package report

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
)

// Incident rounds label, per page, every disruption a careful reader
// counts (one per event, however many ways the page names it) with its
// kind, country and dates as the page gives them; an end derived from a
// start and a stated duration counts as given.
type incidentLabels struct {
	Pages map[string]struct {
		Incidents []expectedIncident `json:"incidents"`
		Notes     string             `json:"notes"`
	} `json:"pages"`
}

type expectedIncident struct {
	Kind      string `json:"kind"`
	Country   string `json:"country"`
	Start     string `json:"start"`
	End       string `json:"end"`
	BothDates bool   `json:"both_dates_on_page"`
	Quote     string `json:"quote"`
}

// incidentScore counts a round: incidents found, matched one to one with
// the labels, expected; of the matched ones the page gives both dates
// of, how many came out with both, and with both right.
type incidentScore struct {
	found, matched, expected   int
	bothGiven, both, bothRight int
}

func (s incidentScore) String() string {
	return fmt.Sprintf("incidents found %2d, matched %2d, expected %2d: precision %s, recall %s; with both dates on the page %d, given both %d, both right %d",
		s.found, s.matched, s.expected, ratio(s.matched, s.found), ratio(s.matched, s.expected), s.bothGiven, s.both, s.bothRight)
}

// sameDate says whether a found date is the labelled one, to the
// precision the label gives ("2020-08" is any day of that month).
func sameDate(found, label string) bool {
	return label != "" && strings.HasPrefix(found, label)
}

// startFits says whether a found incident's start can be the labelled
// one's: either unknown, or the same month.
func startFits(found, label string) bool {
	if found == "" || label == "" {
		return true
	}
	n := min(len(found), len(label), 7)
	return found[:n] == label[:n]
}

// runIncidents runs the report source over a round's pages and scores the
// incidents it writes. With details, each miss and each incident no
// reader counts is logged; a held-out round logs figures only.
func runIncidents(t *testing.T, dir string, details bool) incidentScore {
	var labels incidentLabels
	readLabels(t, dir, &labels)
	pages := slices.Sorted(maps.Keys(labels.Pages))
	lines, pageOf := runPages(t, dir, pages, nil) // without the NLP worker, as the rounds have always been scored
	found := map[string][]records.Entity{}
	for _, l := range lines {
		if l.Entity != nil && l.Entity.Schema == records.SchemaIncident {
			p := pageOf[l.Entity.Document]
			found[p] = append(found[p], *l.Entity)
		}
	}
	var total incidentScore
	for _, p := range pages {
		var s incidentScore
		want := labels.Pages[p].Incidents
		used := make([]bool, len(found[p]))
		// Labels are matched to incidents with their very start first,
		// then to those whose start can be theirs (the same month, or
		// unknown), so that a near miss takes no exact one's place.
		match := make([]int, len(want))
		for j := range match {
			match[j] = -1
		}
		for pass := range 2 {
			for j, e := range want {
				if match[j] >= 0 {
					continue
				}
				for k, f := range found[p] {
					if used[k] || f.Kind != e.Kind || !strings.EqualFold(f.Country, e.Country) ||
						pass == 0 && (e.Start == "" || f.Start != e.Start) || pass == 1 && !startFits(f.Start, e.Start) {
						continue
					}
					used[k], match[j] = true, k
					break
				}
			}
		}
		for j, e := range want {
			s.expected++
			if e.BothDates {
				s.bothGiven++
			}
			i := match[j]
			if i < 0 {
				if details {
					t.Logf("%s: missed %s in %s from %q to %q (%q)", p, e.Kind, e.Country, e.Start, e.End, e.Quote)
				}
				continue
			}
			s.matched++
			f := found[p][i]
			if e.BothDates && f.Start != "" && f.End != "" {
				s.both++
				if sameDate(f.Start, e.Start) && sameDate(f.End, e.End) {
					s.bothRight++
				} else if details {
					t.Logf("%s: %s in %s from %q to %q, labelled from %q to %q", p, f.Kind, f.Country, f.Start, f.End, e.Start, e.End)
				}
			} else if e.BothDates && details {
				t.Logf("%s: %s in %s from %q to %q lacks a date the page gives (%q to %q)", p, f.Kind, f.Country, f.Start, f.End, e.Start, e.End)
			}
		}
		s.found = len(found[p])
		for i, f := range found[p] {
			if !used[i] && details {
				t.Logf("%s: found %s in %s from %q to %q, which no reader counts", p, f.Kind, f.Country, f.Start, f.End)
			}
		}
		t.Logf("page %-44s %s", p, s)
		total.found, total.matched, total.expected = total.found+s.found, total.matched+s.matched, total.expected+s.expected
		total.bothGiven, total.both, total.bothRight = total.bothGiven+s.bothGiven, total.both+s.both, total.bothRight+s.bothRight
	}
	t.Logf("all pages: %s", total)
	return total
}

// TestIncidentRound1 scores the incidents of incident round 1: ten pages
// on real disruptions in ten countries (35 incidents, 16 with both dates
// on the page), written and labelled on 3 December 2026 by a reader who
// had seen no rule. First run (commit 1aa0756, before any rule saw it): 4
// found, all right (recall 0.11), none of the 16 given both dates. Its
// misses were then read to work on the rules, so it is a development
// round, logged in full; round 2 is held out. Its floors hold where the
// rules reached after a cold review's fixes: 31 matched, at most 1 extra,
// 11 with both dates right.
func TestIncidentRound1(t *testing.T) {
	s := runIncidents(t, filepath.Join("testdata", "incidents", "round1"), true)
	if s.matched < 31 || s.found-s.matched > 1 || s.bothRight < 11 {
		t.Errorf("incident round 1: %s; the floors: at least 31 matched, at most 1 extra, at least 11 with both dates right", s)
	}
}

// TestIncidentRound2 scores incident round 2, held out: ten pages on real
// disruptions in ten other countries (44 incidents, 19 with both dates on
// the page), written and labelled on 3 December 2026 by a reader who had
// seen no rule and not round 1. It prints its figures and holds floors
// (below), never its misses. First run
// (commit 08662eb, after the rules were worked on against round 1): 28
// found, 15 matched (precision 0.54, recall 0.34), 5 of the 19 with both
// dates right; the rules before that work (commit 7db7ef2) found 3, all
// right, and gave none both dates. A cold review's fixes then made fewer
// wrong incidents and fewer ends: 23 found, 15 matched, 2 with both
// dates right. The floors hold that second run.
func TestIncidentRound2(t *testing.T) {
	s := runIncidents(t, filepath.Join("testdata", "incidents", "round2"), false)
	if s.matched < 15 || s.found-s.matched > 8 || s.bothRight < 2 {
		t.Errorf("incident round 2: %s; the floors: at least 15 matched, at most 8 extra, at least 2 with both dates right", s)
	}
}
