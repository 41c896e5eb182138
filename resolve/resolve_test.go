package resolve

import (
	"os"
	"strings"
	"testing"
)

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{
		"NICE Ltd.":                              "nice",
		"The Bureau of Industry & Security":      "bureau of industry and security",
		"Hacking Team S.r.l.":                    "hacking team",
		"Trovicor GmbH & Co. KG":                 "trovicor",
		"ООО «Позитив Текнолоджиз»":              "pozitiv teknolodzhiz",
		"Rabitə və Yüksək Texnologiyalar":        "rabite ve yuksek texnologiyalar",
		"Türk Telekomünikasyon A.Ş.":             "turk telekomunikasyon",
		"Ltd.":                                   "ltd",
		"Example Intercept Mexico S.A. de C.V.":  "example intercept mexico",
		"Hikvision Digital Technology Co., Ltd.": "hikvision digital technology",
		"Siemens Aktiengesellschaft":             "siemens",
		"Leonardo Società per Azioni":            "leonardo",
		"Public Joint Stock Company Rostelecom":  "rostelecom",
		"Κόσμος Α.Ε.":                            "kosmos",
		"Aselsan Anonim Şirketi":                 "aselsan",
		// The hard and soft signs are written as nothing, not kept.
		"Связьинвест": "svyazinvest",
		"Объединённая приборостроительная корпорация": "obedinennaya priborostroitelnaya korporatsiya",
		"Huawei Polska Sp. z o.o.":                          "huawei polska",
		"Orbitel spółka z ograniczoną odpowiedzialnością":   "orbitel",
		"Sandvine Incorporated Unlimited Liability Company": "sandvine",
		// A spacing vowel sign stays in its word; a mark that is not
		// spacing goes, as an accent does.
		"दूरसंचार विभाग": "दरसचार विभाग",
		// Georgian and Armenian, transliterated.
		"მაგთიკომი": "magtikomi",
		"Ուքոմ":     "ukom",
	} {
		if got := strings.Join(Normalise(in), " "); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJaroWinkler(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961}, {"dwayne", "duane", 0.84}, {"dixon", "dicksonx", 0.813}, {"abc", "abc", 1}, {"abc", "xyz", 0}, {"", "a", 0},
	} {
		if got := JaroWinkler(tc.a, tc.b); got < tc.want-0.001 || got > tc.want+0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.3f, want %.3f", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLabelledSet holds the floors for the labelled pairs: no pair of
// different entities decided the same (a false link is a libel risk), and
// most pairs of one entity recognised without a reviewer.
func TestLabelledSet(t *testing.T) {
	f, err := os.Open("testdata/pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, err := ReadPairs(f)
	if err != nil {
		t.Fatal(err)
	}
	e := Evaluate(pairs)
	if e.Pairs < 200 {
		t.Fatalf("only %d labelled pairs", e.Pairs)
	}
	for _, m := range e.Mistakes {
		t.Error(m)
	}
	if e.Precision < 1 || e.Recall < 0.75 {
		t.Errorf("precision %.3f (floor 1.0), recall %.3f (floor 0.75): %+v", e.Precision, e.Recall, e)
	}
	t.Logf("%d pairs: precision %.3f, recall %.3f; %d same, %d review, %d different", e.Pairs, e.Precision, e.Recall, e.Same, e.Review, e.Different)
}

func TestReadPairsErrors(t *testing.T) {
	for in, says := range map[string]string{
		"only one name\n":         "line 1",
		"a\tb\tAZ\tAZ\tperhaps\n": "label",
		"# comment\n\na\t\n":      "line 3",
	} {
		if _, err := ReadPairs(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("ReadPairs(%q): %v, want an error saying %q", in, err, says)
		}
	}
}

// TestCompareKinds: each rule of Compare with a pair it must decide and
// one alike it must not.
func TestCompareKinds(t *testing.T) {
	for _, tc := range []struct {
		a, b, ca, cb string
		want         Decision
		says         string
	}{
		{"ПАО «МТС»", "MTS PJSC", "RU", "RU", DecideSame, "equal after normalisation"},
		{"ООО «Яндекс»", "Yandex LLC", "RU", "RU", DecideSame, "transliteration"},
		{"NCA", "National Crime Agency", "GB", "GB", DecideSame, "initials"},
		{"NCA", "National Crime Agency", "GB", "", DecideDifferent, ""},
		{"Dahua", "Zhejiang Dahua Technology Co., Ltd.", "CN", "CN", DecideSame, "adds a place"},
		// A bare name is the legal name that adds common words only; two
		// legal names are two companies, and a group word keeps a group
		// and its company apart.
		{"Huawei", "Huawei Technologies Co., Ltd.", "CN", "CN", DecideSame, "bare name"},
		{"Aselsan", "ASELSAN Elektronik Sanayi ve Ticaret A.Ş.", "TR", "TR", DecideSame, "bare name"},
		{"Huawei", "Huawei Marine Networks Co., Ltd.", "CN", "CN", DecideDifferent, ""},
		{"Nokia Oyj", "Nokia Technologies Oy", "FI", "FI", DecideReview, ""},
		{"China United Network Communications Group Co., Ltd.", "China United Network Communications Limited", "CN", "CN", DecideReview, "group"},
		{"Vodafone", "Vodafone Group Plc", "GB", "GB", DecideReview, ""},
		{"Ministry of Interior", "Ministry of Interior", "EG", "IR", DecideDifferent, "two bodies"},
		{"Ministry of Interior", "Ministry of Interior", "EG", "EG", DecideSame, "equal"},
		{"Vendor 1 Ltd.", "Vendor 11 Ltd.", "", "", DecideDifferent, ""},
		// Folded spellings are for transliterations, not for Latin names
		// a letter apart; a company named with words of administration is
		// no state body.
		{"Smart Parts Ltd", "Smart Park Ltd", "GB", "GB", DecideReview, ""},
		{"Home Security Services Ltd", "Interior Security Services Ltd", "GB", "GB", DecideDifferent, ""},
		{"Служба безпеки України", "Security Service of Ukraine", "UA", "UA", DecideSame, "state body"},
		// An acronym may leave out whose body it is, or include the legal
		// form; never with fewer than three letters, nor of another body.
		{"SSTC", "State Service for Technical Control of the Republic of Examplia", "XA", "XA", DecideSame, "initials"},
		{"OAC", "Operational and Analytical Centre under the President", "BY", "BY", DecideSame, "initials"},
		{"PTCL", "Pakistan Telecommunication Company Limited", "PK", "PK", DecideSame, "initials"},
		{"SS", "State Security of the Republic", "XA", "XA", DecideDifferent, ""},
		{"SSC", "State Service for Technical Control of the Republic of Examplia", "XA", "XA", DecideDifferent, ""},
		{"PTC", "Pakistan Telecommunication Company Limited", "PK", "PK", DecideDifferent, ""},
		// An acronym written with its country's name, or beside a name
		// that has it.
		{"ФСБ России", "Федеральная служба безопасности Российской Федерации", "RU", "RU", DecideSame, "initials"},
		{"ORRIN", "Oblastnaya Regionalnaya Rechnaya Inspektsiya Nadzora Rossiyskoy Federatsii", "RU", "RU", DecideSame, "initials"},
		{"ORI", "Oblastnaya Regionalnaya Rechnaya Inspektsiya Rossii", "RU", "RU", DecideDifferent, ""},
		// Two transliterations of one name are one, in one country; Latin
		// names a vowel or a letter apart are not.
		{"Tsentr rechevykh tekhnologiy", "Centr rechevyh tehnologij", "RU", "RU", DecideSame, "transliterations"},
		{"Xüsusi Dövlət Mühafizə Xidməti", "Khususi Dovlet Muhafize Khidmeti", "AZ", "AZ", DecideSame, "transliterations"},
		{"Derzhavna sluzhba spetsialnogo zvyazku", "Derzhavna sluzhba spetsialnoho zviazku", "UA", "UA", DecideSame, "transliterations"},
		{"Tsentr rechevykh tekhnologiy", "Centr rechevyh tehnologij", "RU", "KZ", DecideDifferent, ""},
		// The same words in another order are not two transliterations,
		// and "Dan" is a word of a name, not an initial's filler.
		{"Telecom Egypt", "Egypt Telecom", "EG", "EG", DecideReview, ""},
		{"Dan Security Systems", "SS", "IL", "IL", DecideDifferent, ""},
		{"სილქნეტი", "Silknet", "GE", "GE", DecideSame, "transliterations"},
		{"სილქნეტი", "Silknet", "GE", "AM", DecideDifferent, ""},
		{"Amesys SAS", "Amexis SAS", "FR", "FR", DecideReview, ""},
		{"Trovicor GmbH", "Travicor GmbH", "DE", "DE", DecideReview, ""},
		{"Orrinvale Partners", "Orrinvala Partners", "GB", "GB", DecideReview, ""},
		{"Granit LLC", "Ranit LLC", "RU", "RU", DecideReview, ""},
		{"Signum Systems", "Sinum Systems", "GB", "GB", DecideReview, ""},
		{"Orrinvale Holding", "Orrinvale Olding", "GB", "GB", DecideReview, ""},
		// A bare name and its legal name that adds the country's name, or
		// words such as "Lab" and "Device".
		{"Orrinvale", "Orrinvale Bulgaria EAD", "BG", "BG", DecideSame, "bare name"},
		{"Orrinvale", "Orrinvale Serbia d.o.o.", "BG", "BG", DecideReview, ""},
		{"Orrinvale", "AO Orrinvale Lab", "RU", "RU", DecideSame, "bare name"},
		{"Orrinvale", "Shenzhen Orrinvale Computer Systems Co., Ltd.", "CN", "CN", DecideSame, "bare name"},
		{"Orrinvale", "Orrinvale Marine Lab Ltd", "GB", "GB", DecideDifferent, ""},
		// Legal forms written out in the languages the sources bring.
		{"Orrinvale Sdn. Bhd.", "Orrinvale Sendirian Berhad", "MY", "MY", DecideSame, "equal"},
		{"Orrinvale d.o.o.", "Orrinvale društvo s ograničenom odgovornošću", "HR", "HR", DecideSame, "equal"},
		{"PT Orrinvale Tbk", "Orrinvale", "ID", "ID", DecideSame, "equal"},
		// A state body in its own language, word for word.
		{"Міністэрства ўнутраных спраў Рэспублікі Беларусь", "Ministry of Internal Affairs of the Republic of Belarus", "BY", "BY", DecideSame, "state body"},
		{"Қазақстан Республикасының Ұлттық қауіпсіздік комитеті", "National Security Committee of the Republic of Kazakhstan", "KZ", "KZ", DecideSame, "state body"},
		{"Federal Service for Supervision of Communications, Information Technology and Mass Media", "Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций", "RU", "RU", DecideSame, "state body"},
		{"Αρχή Διασφάλισης του Απορρήτου των Επικοινωνιών", "Hellenic Authority for Communication Security and Privacy", "GR", "GR", DecideSame, "state body"},
		{"Jihaz al-Mukhabarat al-Amma", "General Intelligence Service", "EG", "EG", DecideSame, "state body"},
		{"Jihaz al-Mukhabarat al-Amma", "General Intelligence Directorate", "EG", "EG", DecideDifferent, ""},
		{"DGSE", "General Directorate for External Security", "FR", "FR", DecideSame, "state body"},
		// A state body's name in two countries is two bodies; a company's
		// bare name in two countries goes to a person.
		{"Gendarmerie nationale", "Gendarmerie nationale", "FR", "SN", DecideDifferent, "state body"},
		{"Министерство обороны", "Министерство обороны", "RU", "BY", DecideDifferent, "state body"},
		{"Ericsson", "Ericsson", "SE", "GB", DecideReview, "differ"},
		{"Example Agency Ltd", "Example Agency Ltd", "GB", "IE", DecideReview, "differ"},
		// Initials a brand leaves out before it ("SZ" for Shenzhen), but not
		// two letters after it, which name a company of the group.
		{"Orrinvale", "Orrinvale DI Ltd.", "IL", "IL", DecideDifferent, ""},
		{"Orrinvale", "Orrinvale TS GmbH", "DE", "DE", DecideDifferent, ""},
		{"Orrinvale", "SZ Orrinvale Technology Co., Ltd.", "CN", "CN", DecideSame, "bare name"},
		{"Orrinvale", "Orrinvale UK Co., Ltd.", "CN", "CN", DecideDifferent, ""},
		{"Orrinvale", "Orrinvale Advanced Defense Systems Ltd.", "IL", "IL", DecideSame, "bare name"},
		{"Orrinvale", "Telefonaktiebolaget LM Orrinvale", "SE", "SE", DecideSame, "bare name"},
		{"Telefonaktiebolaget LM Orrinvale", "Telefonaktiebolaget L M Orrinvale (publ)", "SE", "SE", DecideSame, "spacing"},
		{"Orrinvale SA de droit public", "Orrinvale NV van publiek recht", "BE", "BE", DecideSame, "equal"},
		// Initials of a French name with its elided articles.
		{"DGA", "Direction générale de l'armement", "FR", "FR", DecideSame, "initials"},
		{"DGA", "Direction générale de l'armement", "FR", "BE", DecideDifferent, ""},
		// "to" is no initial, as "of" is not.
		{"CPJ", "Committee to Protect Journalists", "US", "US", DecideSame, "initials"},
		// A place and common words: the common words tell them apart.
		{"China Telecom Corporation Limited", "China Telecommunications Corporation", "CN", "CN", DecideReview, ""},
		{"Saudi Digital Systems Co.", "Saudi Digital Solutions Co.", "SA", "SA", DecideReview, "place and common words"},
		{"Orrinvale Telecommunications (India) Pvt Ltd", "Orrinvale Technologies India Pvt Ltd", "IN", "IN", DecideReview, ""},
		{"Tsang Electronics Ltd", "Kang Electronics Ltd", "HK", "HK", DecideDifferent, ""},
		{"Direction de la sécurité politique", "Direction de la police de sécurité", "FR", "FR", DecideReview, ""},
		// Cyrillic "ц" as "ts" and as "c", before a vowel only.
		{"АО «Концерн «Созвездие»", "JSC Concern Sozvezdie", "RU", "RU", DecideSame, "transliteration"},
		// State bodies in Dutch, Swedish and Finnish; a country's own
		// adjective for itself.
		{"Suojelupoliisi", "Skyddspolisen", "FI", "FI", DecideSame, "state body"},
		{"Liikenne- ja viestintävirasto", "Transport- och kommunikationsverket", "FI", "FI", DecideSame, "state body"},
		{"Service général du renseignement et de la sécurité", "Algemene Dienst Inlichting en Veiligheid", "BE", "BE", DecideSame, "state body"},
		{"Canadian Security Intelligence Service", "Service canadien du renseignement de sécurité", "CA", "CA", DecideSame, "state body"},
		{"Service canadien du renseignement de sécurité", "Service belge du renseignement de sécurité", "CA", "CA", DecideReview, ""},
	} {
		got := Compare(tc.a, tc.b, tc.ca, tc.cb)
		if got.Decision != tc.want || !strings.Contains(got.Explanation, tc.says) {
			t.Errorf("Compare(%q, %q, %s, %s) = %s (%s), want %s saying %q", tc.a, tc.b, tc.ca, tc.cb, got.Decision, got.Explanation, tc.want, tc.says)
		}
	}
}

func TestLegalFormAndAcronym(t *testing.T) {
	for name, want := range map[string]bool{"Signum Intelligence Ltd": true, "ООО «Ромашка»": true, "The Example Group": false, "Netsweeper": false} {
		if got := HasLegalForm(name); got != want {
			t.Errorf("HasLegalForm(%q) = %v", name, got)
		}
	}
	if !Acronym("ICE", "Immigration and Customs Enforcement") || !Acronym("Immigration and Customs Enforcement", "ICE") || Acronym("FBI", "Immigration and Customs Enforcement") {
		t.Error("Acronym")
	}
}
