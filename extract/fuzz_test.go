package extract

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/records"
)

// FuzzIncidentDates feeds the incident reader sentences and holds its
// dates to what the records take: each date it gives is an ISO date or a
// partial one naming a real day, month or year; a start is not after its
// end (records refuse a claim whose end sorts before its start); a
// duration is not negative; and the same sentence read twice gives the
// same incidents, with and without the page's year. isoDay, which makes
// the dates of "27 September 2020", is held to the same.
func FuzzIncidentDates(f *testing.F) {
	g, err := SeedGazetteer()
	if err != nil {
		f.Fatal(err)
	}
	file, err := os.Open(filepath.Join("testdata", "sentences.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	n := 0
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			sentence, _, _ := strings.Cut(line, "\t")
			f.Add(sentence)
			n++
		}
	}
	if err := sc.Err(); err != nil || n == 0 {
		f.Fatalf("sentences.tsv: %d sentences, %v", n, err)
	}
	for _, s := range []string{
		// TestIncidents and the report package's pages.
		"An unprecedented, 46-day long internet shutdown took place in Azerbaijan from 27 September until 12 November 2020.",
		"Internet access was throttled in Azerbaijan until 12 November.",
		"Belarusian authorities shut down the internet on 9 August 2020, the day of the election.",
		"The government blocked access to social media in Egypt for a 3-day period starting 20 September 2019.",
		"The authorities shut down mobile internet in Azerbaijan from 27 September 2020, as fighting began.",
		"During the 46-day shutdown, Azerbaijan's government also blocked social media.",
		"A separate internet shutdown in Azerbaijan in July 2024 lasted two days.",
		// Days that are not, and periods that run backwards.
		"The internet was shut down in Iran from 31 February until 30 February 2020.",
		"The internet was shut down in Iran from 12 November until 27 September 2020.",
		"The internet was shut down in Iran from 12 November 2021 until 27 September 2020.",
		"The internet was shut down in Iran from 0 May until 00 June 2020.",
		"Internet shutdown in Iran on 99 May 2020 and on 1 May.",
		"A 9999-day internet shutdown in Iran began on 31 December 9999.",
		"Two days after 31 December 9999, internet access was cut in Iran.",
		"A 0-day internet shutdown in Iran began on 1 May 2020.",
		"A 366-day internet shutdown in Iran began on 29 February 2020, 1999.",
		"Internet blackout in Sudan from 1 january until 2 JANUARY.",
		"Internet blackout in Sudan from 3 June 0000 to 4 June.",
		"Internet shutdown in Iran in 2020 since 5 March 1999 through 6 March.",
		// Invalid UTF-8, a long sentence, none.
		"Internet shutdown in Iran \xff\xfe on 1 May 2020.",
		strings.Repeat("internet shutdown in Iran from 1 May until 2 May 2020 ", 200),
		"", "shutdown", "internet",
	} {
		f.Add(s)
	}
	valid := func(t *testing.T, what, d string) {
		t.Helper()
		if d != "" && !records.ValidDate(d) {
			t.Fatalf("%s %q is not an ISO date", what, d)
		}
	}
	f.Fuzz(func(t *testing.T, sentence string) {
		// Without a year, and in a page's year, as a report is read.
		var got []Incident
		for _, year := range []string{"", "2020"} {
			read := g.IncidentsIn(sentence, year)
			if again := g.IncidentsIn(sentence, year); !cmp.Equal(read, again) {
				t.Fatalf("two reads differ:\n%s", cmp.Diff(read, again))
			}
			got = append(got, read...)
		}
		for _, inc := range got {
			valid(t, "start", inc.Start)
			valid(t, "end", inc.End)
			if inc.Start != "" && inc.End != "" && inc.End < inc.Start {
				t.Fatalf("end %s before start %s", inc.End, inc.Start)
			}
			if first, _ := records.DateSpan(inc.Start); inc.Start != "" && inc.End != "" && inc.End < first {
				t.Fatalf("end %s before the first day of start %s", inc.End, inc.Start)
			}
			if inc.Days < 0 {
				t.Fatalf("a duration of %d days", inc.Days)
			}
			if inc.Kind == "" || len(inc.Reasons) == 0 {
				t.Fatalf("an incident without a kind or a reason: %+v", inc)
			}
		}
		// isoDay on every day-month-year the sentence holds, and the
		// date a sentence gives a later one.
		for _, m := range dmyDate.FindAllStringSubmatch(sentence, 8) {
			valid(t, "isoDay", isoDay(m[1], m[2], m[3], "2020"))
		}
		valid(t, "SentenceDate", SentenceDate(sentence, "2020"))
	})
}
