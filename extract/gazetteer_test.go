package extract

import (
	"fmt"
	"strings"
	"testing"
)

func gazetteer() *Gazetteer {
	return NewGazetteer([]Entry{
		{ID: "company/sandvine", Schema: "Company", Name: "Sandvine"}, {ID: "company/sandvine", Schema: "Company", Name: "Sandvine Inc."},
		{ID: "company/allot", Schema: "Company", Name: "Allot Ltd."}, {ID: "company/nice", Schema: "Company", Name: "NICE Ltd."},
		{ID: "body/by-ntec", Schema: "PublicBody", Name: "National Traffic Exchange Center"}, {ID: "company/jet-infosystems", Schema: "Company", Name: "Jet Infosystems"},
		{ID: "product/packetlogic", Schema: "Product", Name: "PacketLogic"}, {ID: "company/turk-telekom", Schema: "Company", Name: "Türk Telekom"},
	})
}

func found(ms []Mention) []string {
	var out []string
	for _, m := range ms {
		id := m.Candidates[0].ID
		if m.New {
			id = "new " + m.Candidates[0].Schema
		}
		out = append(out, m.Text+"="+id)
	}
	return out
}

func TestFind(t *testing.T) {
	g := gazetteer()
	for _, tc := range []struct {
		sentence string
		want     string
	}{
		{"The equipment was obtained by Belarus's National Traffic Exchange Center as part of a contract with the Russian technology supplier Jet Infosystems.",
			"Belarus=country:BY National Traffic Exchange Center=body/by-ntec Russian=country:RU Jet Infosystems=company/jet-infosystems"},
		{"Azerbaijan's government used technology from companies such as Allot, Sandvine, NICE and others.",
			"Azerbaijan=country:AZ Allot=company/allot Sandvine=company/sandvine NICE=company/nice"},
		{"Sandvine Inc. sold PacketLogic devices to Turk Telekom.", "Sandvine Inc.=company/sandvine PacketLogic=product/packetlogic Turk Telekom=company/turk-telekom"},
		{"Belarusian authorities bought systems from Example Intercept Systems Ltd. in 2019.",
			"Belarusian=country:BY Example Intercept Systems Ltd.=new Company"},
		{"The contract went to ООО «Ромашка» last year.", "ООО «Ромашка»=new Company"},
		// Organisations found by what they are called.
		{"The equipment went to the State Security Service and the Ministry of Communications and Information Technology.",
			"State Security Service=new PublicBody Ministry of Communications and Information Technology=new PublicBody"},
		{"It was a contract with the Israeli surveillance firm Example Interception, not with Allot.",
			"Israeli=country:IL Example Interception=new Company Allot=company/allot"},
		{"The Russian technology supplier Jet Infosystems sold it on.", "Russian=country:RU Jet Infosystems=company/jet-infosystems"},
		{"Nothing here is named.", ""},
	} {
		if got := strings.Join(found(g.Find(tc.sentence)), " "); got != tc.want {
			t.Errorf("Find(%q):\n got %s\nwant %s", tc.sentence, got, tc.want)
		}
	}
}

// TestManyCompanies: a sentence naming 200 companies gives 200 mentions.
func TestManyCompanies(t *testing.T) {
	var entries []Entry
	var names []string
	for i := range 200 {
		n := fmt.Sprintf("Vendor%03d Systems", i)
		entries = append(entries, Entry{ID: fmt.Sprintf("company/v%d", i), Schema: "Company", Name: n})
		names = append(names, n)
	}
	g := NewGazetteer(entries)
	ms := g.Find("The ministry bought from " + strings.Join(names, ", ") + ".")
	if len(ms) != 200 {
		t.Fatalf("%d mentions, want 200", len(ms))
	}
}

// BenchmarkFind finds mentions in report sentences against a gazetteer of
// 100,000 names.
func BenchmarkFind(b *testing.B) {
	entries := make([]Entry, 0, 100_000)
	for i := range 100_000 {
		entries = append(entries, Entry{ID: fmt.Sprintf("company/g%d", i), Schema: "Company", Name: fmt.Sprintf("Generated Vendor %d Ltd.", i)})
	}
	g := NewGazetteer(append(entries, Entry{ID: "company/sandvine", Schema: "Company", Name: "Sandvine"}, Entry{ID: "body/by-ntec", Schema: "PublicBody", Name: "National Traffic Exchange Center"}))
	sentence := "According to Bloomberg, equipment made by Sandvine was obtained by Belarus's National Traffic Exchange Center as part of a contract with Generated Vendor 4711 Ltd. in 2018."
	n := 0
	for b.Loop() {
		n += len(g.Find(sentence))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "mentions/s")
	b.ReportMetric(float64(g.Len()), "names")
}

func TestIncidents(t *testing.T) {
	g, err := SeedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sentence, want string
	}{
		{"An unprecedented, 46-day long internet shutdown took place in Azerbaijan from 27 September until 12 November 2020.",
			"shutdown country:AZ 2020-09-27 2020-11-12 46"},
		{"Internet access was throttled in Azerbaijan until 12 November.", "throttling country:AZ   0"},
		{"Belarusian authorities shut down the internet on 9 August 2020, the day of the election.", "shutdown country:BY 2020-08-09  0"},
		// A length counts the days between start and end, as reports do
		// ("the 46-day shutdown from 27 September to 12 November").
		{"The government blocked access to social media in Egypt for a 3-day period starting 20 September 2019.", "blocking country:EG 2019-09-20 2019-09-23 3"},
		{"Two days after the earthquakes of 6 February 2023, access to Twitter was throttled in Turkey.", "throttling country:TR 2023-02-08  0"},
		{"The blackout, which lasted 61 hours, began in Belarus on the evening of 9 August 2020.", "shutdown country:BY 2020-08-09 2020-08-12 3"},
		{"Mobile data finally returned in Sudan on 18 November 2021.", "shutdown country:SD  2021-11-18 0"},
		{"Access to the encyclopedia was restored in Turkey on 26 December 2019 after the court ruled.", "blocking country:TR  2019-12-26 0"},
		{"Twitter restored access to accounts in Turkey.", ""},
		{"Armenian forces attacked, and internet access in Azerbaijan would be restricted from 27 September 2020.", "blocking country:AZ 2020-09-27  0"},
		{"Armenian forces attacked, and access in the country would be restricted from 27 September 2020.", "blocking - 2020-09-27  0"},
		// What a cold review showed the readings must not take.
		{"A nationwide power blackout hit Pakistan on 23 January 2023.", ""},
		{"Mobile phone prices were cut in Kenya on 1 March 2023.", ""},
		{"Protesters returned to the streets in Sudan on 5 May 2023, and the authorities cut mobile internet.", "shutdown country:SD 2023-05-05  0"},
		{"The internet was cut in Iran from 9 to 12 August 2020.", "shutdown country:IR 2020-08-09 2020-08-12 0"},
		{"The internet shutdown in Iran ran from 28 December until 3 January 2020.", "shutdown country:IR 2019-12-28 2020-01-03 0"},
		{"Internet access was cut in Iran on 5 May 2023 after two days of protests.", "shutdown country:IR 2023-05-05  0"},
		{"A two-hour internet outage hit Iran on 5 March 2023.", "shutdown country:IR 2023-03-05  0"},
		{"The authorities blocked 2000 websites in Iran on 5 May.", "blocking country:IR   0"},
		{"The company shut down its office in Israel in 2019.", ""},
		// No country: the page around it may say where.
		{"Internet shutdowns are rising worldwide, Access Now reported.", "shutdown -   0"},
		{"Sandvine said its products are designed to manage traffic, not to block websites in Belarus.", ""},
		// Parties: who ordered, who carried out, whose kit; never the
		// monitor, the publisher or the victim.
		{"The Government of Sudan ordered operators to cut off mobile internet in Sudan, NetBlocks and Access Now reported.",
			"shutdown country:SD   0 ordered:body/sd-government"},
		{"Delta Telecom throttled access in Azerbaijan using Sandvine PacketLogic devices, Citizen Lab found.",
			"throttling country:AZ   0 implemented:company/delta-telecom technology:company/sandvine technology:product/packetlogic"},
		{"Khadija Ismayilova said websites were blocked in Azerbaijan.", "blocking country:AZ   0"},
	} {
		var got []string
		for _, i := range g.Incidents(tc.sentence) {
			country := "-"
			if len(i.Country.Candidates) > 0 {
				country = i.Country.Candidates[0].ID
			}
			s := fmt.Sprintf("%s %s %s %s %d", i.Kind, country, i.Start, i.End, i.Days)
			for _, p := range i.Parties {
				s += " " + p.Role + ":" + p.Mention.Candidates[0].ID
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("Incidents(%q) = %q, want %q", tc.sentence, got, tc.want)
		}
	}
}

func TestReadNodesCSV(t *testing.T) {
	csv := "id,schema,name,aliases,country,kind,identifiers,capabilities,export_control,start,end,impact,description,sources\n" +
		"company/example,Company,Example Intercept,Example Intercept Ltd.; ExIntercept,IL,,,,,,,,,\n" +
		"country:IL,Country,Israel,,IL,,,,,,,,,\n" +
		"company/formula,Company,'=Evil Corp,,,,,,,,,,,\n"
	entries, err := ReadNodesCSV(strings.NewReader(csv), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Fatalf("entries: %+v", entries)
	}
	g := NewGazetteer(entries)
	// The defusing apostrophe is not part of the name.
	var ids []string
	for _, m := range g.Find("The ministry bought ExIntercept software and a system from Evil Corp.") {
		ids = append(ids, m.Candidates[0].ID)
	}
	if strings.Join(ids, " ") != "company/example company/formula" {
		t.Errorf("found %v", ids)
	}
	if _, err := ReadNodesCSV(strings.NewReader("a,b\n1,2\n"), nil); err == nil || !strings.Contains(err.Error(), "export's nodes.csv") {
		t.Errorf("a CSV that is not nodes.csv: %v", err)
	}
}

// A long name misspelt by one letter is found; a short one, a name one
// letter from two, or running text is not.
func TestMisspelt(t *testing.T) {
	g := NewGazetteer([]Entry{
		{ID: "company/netsweeper", Schema: "Company", Name: "Netsweeper Incorporated"},
		{ID: "body/nsa", Schema: "PublicBody", Name: "National Security Agency"},
		{ID: "body/nsb", Schema: "PublicBody", Name: "National Security Bureau"},
		{ID: "company/allot", Schema: "Company", Name: "Allot"},
		{ID: "company/v12345", Schema: "Company", Name: "Vendor Systems 12345"},
	})
	for _, tc := range []struct{ sentence, want string }{
		{"Netsweper Incorporated sold filters.", "company/netsweeper"},
		{"The Nationl Security Agency bought it.", "body/nsa"},
		{"Alloy sold it.", ""},
		{"The National Security Agenci bought it.", "body/nsa"},
		{"national security agenci bought it.", ""},
		{"Vendor Systems 1234 sold it.", ""},
	} {
		got := ""
		for _, m := range g.Find(tc.sentence) {
			if len(m.Candidates) == 1 && !m.New {
				got = m.Candidates[0].ID
			}
		}
		if got != tc.want {
			t.Errorf("Find(%q) = %q, want %q", tc.sentence, got, tc.want)
		}
	}
}

// TestListedNamesAreNoGraphParties: a name known only from the industry
// list is in no graph, so it never reaches a record as a graph entity:
// its company is new, and a listed product is no party to an incident
// (a run once failed on the empty id).
func TestListedNamesAreNoGraphParties(t *testing.T) {
	g := NewGazetteer(nil)
	for _, m := range g.Find("Cellebrite UFED and Palantir Gotham kits were sold.") {
		if c := m.Candidates[0]; c.ID == "" && !m.New && c.Schema != "Product" {
			t.Errorf("%s: a listed %s not marked new", m.Text, c.Schema)
		}
	}
	for _, inc := range g.IncidentsIn("Authorities blocked websites in Syria using ProxySG devices.", "2011") {
		for _, p := range inc.Parties {
			if p.Mention.Candidates[0].ID == "" {
				t.Errorf("incident party %s has no graph id", p.Mention.Text)
			}
		}
	}
}

// TestIndustryList holds the industry list's names to where they are a
// vendor's: capitalised, and for a name that is also a word or a surname,
// not first in the sentence nor inside a longer capitalised name. A name
// the given entries know is theirs, not the list's.
func TestIndustryList(t *testing.T) {
	g := NewGazetteer([]Entry{{ID: "company/cellebrite", Schema: "Company", Name: "Cellebrite"}})
	for _, tc := range []struct {
		sentence string
		want     string
	}{
		{"The police bought tools from Circles and Cellebrite.", "Circles=new Company Cellebrite=company/cellebrite"},
		{"Its signals go round in circles.", ""},
		{"Circles of friends met in the square.", ""},
		{"Vice President Kamala Harris spoke.", ""},
		{"The devices came from Harris Corporation in Florida.", "Harris Corporation=new Company"},
		{"The broker Grupo Tech Bull took a cut.", ""},
		{"The police bought tools from Israel's Circles last year.", "Israel=country:IL Circles=new Company"},
		{"Agents used a Palantir system.", "Palantir=new Company"},
		{"Agents used the Palantir-run system.", "Palantir=new Company"},
		{"Orrin sold cameras to a Kenya-based reseller.", ""},
		{"The office licensed FinSpy.", "FinSpy=Product"},
	} {
		var got []string
		for _, m := range g.Find(tc.sentence) {
			if m.Candidates[0].ID == "" && !m.New {
				got = append(got, m.Text+"="+m.Candidates[0].Schema)
				continue
			}
			got = append(got, found([]Mention{m})...)
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.sentence, s, tc.want)
		}
	}
}
