package resolve

import (
	"strings"
	"testing"
)

// TestSameBody: a state body's name in its own language, in English and
// as a known acronym read as the same concepts, in one country; names
// with a word the tables do not know, other bodies, and bodies of other
// countries do not.
func TestSameBody(t *testing.T) {
	for _, tc := range []struct {
		a, b, country string
		want          bool
	}{
		{"Служба безпеки України", "Security Service of Ukraine", "UA", true},
		{"Федеральная служба безопасности Российской Федерации", "Federal Security Service", "RU", true},
		{"Министерство внутренних дел Российской Федерации", "Ministry of Internal Affairs of Russia", "RU", true},
		{"Комитет государственной безопасности Республики Беларусь", "State Security Committee of the Republic of Belarus", "BY", true},
		{"Bundesamt für Verfassungsschutz", "Federal Office for the Protection of the Constitution", "DE", true},
		{"Bundeskriminalamt", "Federal Criminal Police Office", "DE", true},
		{"Direction générale de la sécurité intérieure", "General Directorate for Internal Security", "FR", true},
		{"Ministère de l'Intérieur", "Ministry of the Interior", "FR", true},
		{"Centro Nacional de Inteligencia", "National Intelligence Centre", "ES", true},
		{"Millî İstihbarat Teşkilatı", "National Intelligence Organization", "TR", true},
		{"Emniyet Genel Müdürlüğü", "General Directorate of Security", "TR", true},
		{"Dövlət Təhlükəsizlik Xidməti", "State Security Service", "AZ", true},
		{"Agencja Bezpieczeństwa Wewnętrznego", "Internal Security Agency", "PL", true},
		{"Ελληνική Αστυνομία", "Hellenic Police", "GR", true},
		{"Εθνική Υπηρεσία Πληροφοριών", "National Intelligence Service", "GR", true},

		// Other bodies of one country.
		{"Служба безпеки України", "Ministry of Internal Affairs of Ukraine", "UA", false},
		{"Федеральная служба безопасности", "Federal Protective Service", "RU", false},
		{"Dövlət Təhlükəsizlik Xidməti", "Security Service", "AZ", false},
		{"Bundesamt für Verfassungsschutz", "Bundesamt für Sicherheit in der Informationstechnik", "DE", false},
		// Acronyms of the table, against either name.
		{"Служба безпеки України", "SBU", "UA", true},
		{"FSB", "Federal Security Service of the Russian Federation", "RU", true},
		{"BfV", "Bundesamt für Verfassungsschutz", "DE", true},
		{"FSB", "Federal Protective Service", "RU", false},
		{"SBU", "Security Service of Ukraine", "RU", false},
		// A word the tables do not know leaves the name untranslated.
		{"Operativno-analiticheskiy tsentr", "Operational and Analytical Centre", "BY", false},
		{"Sandvine", "Sandvine Incorporated", "CA", false},
		// Named after another country than the one given: not dropped, and
		// not known, so untranslated.
		{"Security Service of Ukraine", "Security Service", "RU", false},
		// No kind of body among the concepts.
		{"National Security", "Security National", "US", false},
		// Two English names are left to the other rules: synonyms are not
		// enough for companies named with these words.
		{"Home Security Services", "Interior Security Services", "GB", false},
		{"Main Security Services", "General Security Services", "GB", false},
		{"Камітэт дзяржаўнай бяспекі Рэспублікі Беларусь", "KGB", "BY", true},
		// Scripts written without spaces, or with words joined.
		{"公安部", "Ministry of Public Security", "CN", true},
		{"中华人民共和国国家安全部", "Ministry of State Security", "CN", true},
		{"國防部", "Ministry of National Defense", "TW", true},
		{"公安部", "Ministry of State Security", "CN", false},
		{"公安部", "Ministry of State Security", "TW", false},
		{"法務省", "Ministry of Justice", "JP", true},
		{"국가정보원", "National Intelligence Service", "KR", true},
		{"국방부", "Ministry of National Defense", "KR", true},
		{"국방부", "National Intelligence Service", "KR", false},
		{"وزارة الداخلية", "Ministry of Interior", "EG", true},
		{"وزارة الاتصالات وتقنية المعلومات", "Ministry of Communications and Information Technology", "SA", true},
		{"وزارة الاتصالات وتقنية المعلومات", "Ministry of Interior", "SA", false},
		{"משרד התקשורת", "Ministry of Communications", "IL", true},
		{"משטרת ישראל", "Israel Police", "IL", true},
		{"दूरसंचार विभाग", "Department of Telecommunications", "IN", true},
		{"गृह मंत्रालय", "Ministry of Home Affairs", "IN", true},
		{"Bộ Công an", "Ministry of Public Security", "VN", true},
		{"Bộ Quốc phòng", "Ministry of Public Security", "VN", false},
		{"Badan Siber dan Sandi Negara", "National Cyber and Crypto Agency", "ID", true},
		{"Kementerian Dalam Negeri", "Ministry of Home Affairs", "ID", true},
		// Languages of Central and Eastern Europe, Central Asia and East Africa.
		{"Bezbednosno-informativna agencija", "Security Information Agency", "RS", true},
		{"Ministarstvo unutrašnjih poslova", "Ministry of Internal Affairs", "RS", true},
		{"Държавна агенция „Национална сигурност“", "State Agency for National Security", "BG", true},
		{"Nemzetbiztonsági Szakszolgálat", "Special Service for National Security", "HU", true},
		{"Alkotmányvédelmi Hivatal", "Constitution Protection Office", "HU", true},
		{"Serviciul Român de Informații", "Romanian Intelligence Service", "RO", true},
		{"Valstybės saugumo departamentas", "State Security Department", "LT", true},
		{"Valsts drošības dienests", "State Security Service", "LV", true},
		{"Davlat xavfsizlik xizmati", "State Security Service", "UZ", true},
		{"Jeshi la Polisi Tanzania", "Tanzania Police Force", "TZ", true},
		{"Valsts drošības dienests", "State Police", "LV", false},
		{"Wizara ya Mambo ya Ndani", "Ministry of Home Affairs", "TZ", true},
		{"Secretaría de Seguridad y Protección Ciudadana", "Secretariat of Security and Civilian Protection", "MX", true},
		// Words that look alike across languages and bodies that differ.
		{"Internet Security Agency", "Agencja Bezpieczeństwa Wewnętrznego", "PL", false},
		{"総務部", "総務省", "JP", false},
		{"法務部", "Ministry of Justice", "JP", false},
		{"Secretaría de Seguridad Ciudadana", "Secretaría de Seguridad Civil", "MX", false},
		{"Policía Nacional de La Romana", "Policía Nacional", "DO", false},
		// A piece no table knows leaves the name untranslated.
		{"上海市公安局", "Public Security Bureau", "CN", false},
		{"Dövlət Təhlükəsizliyi Xidməti", "State Security Service", "AZ", true},
	} {
		if got := sameBody(Normalise(tc.a), Normalise(tc.b), tc.country); got != tc.want {
			ca, _ := concepts(Normalise(tc.a), tc.country)
			cb, _ := concepts(Normalise(tc.b), tc.country)
			t.Errorf("%s ~ %s (%s): %v, want %v; concepts %s | %s", tc.a, tc.b, tc.country, got, tc.want,
				strings.Join(ca, " "), strings.Join(cb, " "))
		}
	}
}

// TestBodyAcronymsRead: every body the acronym table names reads as
// concepts, so no entry is dead for want of a word.
func TestBodyAcronymsRead(t *testing.T) {
	for code, m := range bodyAcronyms {
		for acr, name := range m {
			if _, ok := concepts(strings.Fields(name), code); !ok {
				t.Errorf("%s %s: %q does not read as the concepts of a body", code, acr, name)
			}
			if Normalise(acr)[0] != acr {
				t.Errorf("%s %s: not written as Words writes it", code, acr)
			}
		}
	}
}

// TestIndexFindsABodyInAnotherLanguage: a body's native name (in Cyrillic
// or in Chinese) and its acronym find its English name in the index,
// though they share no word.
func TestIndexFindsABodyInAnotherLanguage(t *testing.T) {
	x := NewIndex()
	x.Add(Candidate{ID: "body/ua-sbu", Schema: "PublicBody", Country: "UA", Names: []string{"Security Service of Ukraine"}})
	x.Add(Candidate{ID: "body/ua-mvs", Schema: "PublicBody", Country: "UA", Names: []string{"Ministry of Internal Affairs of Ukraine"}})
	x.Add(Candidate{ID: "body/cn-mps", Schema: "PublicBody", Country: "CN", Names: []string{"Ministry of Public Security"}})
	x.Add(Candidate{ID: "body/cn-mss", Schema: "PublicBody", Country: "CN", Names: []string{"Ministry of State Security"}})
	for _, tc := range []struct{ name, country, want string }{
		{"Служба безпеки України", "UA", "body/ua-sbu"},
		{"SBU", "UA", "body/ua-sbu"},
		{"公安部", "CN", "body/cn-mps"},
	} {
		ms := x.Match(Candidate{ID: "new", Schema: "PublicBody", Country: tc.country, Names: []string{tc.name}})
		if len(ms) != 1 || ms[0].ID != tc.want || ms[0].Decision != DecideSame {
			t.Errorf("%s: %+v", tc.name, ms)
		}
	}
}
