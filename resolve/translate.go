package resolve

import (
	"slices"
	"strings"

	"github.com/exportwatch/exportwatch/country"
)

// A state body is named in its own language by its registry and in
// English by the press: "Служба безпеки України" and "Security Service of
// Ukraine", "Bundesamt für Verfassungsschutz" and "Federal Office for the
// Protection of the Constitution". Their words are the same concepts in
// another order, so a name whose every word is a known word of state
// administration (or a filler, or its own country's name) is read as the
// set of those concepts, and two such names in one country with the same
// set, a kind of body among them, are one body. A single unknown word
// leaves a name untranslated, so the rule never guesses.

// english are the English words of the tables: a pair of names both in
// English is left to the other rules ("Home Security Services" is no
// "Interior Security Services" for being their synonym), so the concepts
// decide only when a name in another language or an acronym is involved.
var english = map[string]bool{}

// conceptWords maps a word, as Words writes it (Latin letters, Cyrillic
// and Greek transliterated, no marks), to the English concepts it stands
// for; compounds give several ("bundesamt": federal office). Words in
// languages with endings are given by their stem: see concepts.
var conceptWords = map[string]string{}

// conceptStems are stems (of five letters or more) that match a word
// beginning with them and at most five letters longer.
var conceptStems = map[string]string{}

// stemStarts are the first five letters of the stems, so that a word no
// stem can begin costs one lookup.
var stemStarts = map[string]bool{}

// functionWords are the articles, prepositions and conjunctions of the
// languages bodies are named in: no concept (fillers) and no initial
// (acronymOf).
var functionWords = map[string]bool{}

// fillers are words that carry no concept: the function words, and
// "affairs", which one language says and another leaves out ("Ministry of
// Interior", "Ministry of Internal Affairs").
var fillers = map[string]bool{}

// bodyConcepts are the concepts that name a kind of body: a translated
// name must have one.
var bodyConcepts = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`of the for and on in at to de del dela la le les des du di della dello degli delle
		dei da do dos das e y el los et pour par sur a au aux d l i und fur der die das den dem zu zur zum im am van voor
		het en og och ja ve ile va ta z w na za kai tis tou ton`) {
		functionWords[w] = true
		fillers[w] = true
	}
	// "dan" (Malay and Indonesian "and") is no function word: an initial
	// in "Dan Security Systems".
	for _, w := range strings.Fields(`affairs sprav sprau spraw isler isleri issler v po sfere al ha anti toy dan`) {
		fillers[w] = true
	}
	for _, w := range strings.Fields(`ministry service agency police office directorate department committee council
		commission authority bureau centre guard gendarmerie prosecutor court organisation administration
		government inspectorate regulator army navy force forces unit command wing presidency secretariat board
		establishment enforcement institute`) {
		bodyConcepts[w] = true
	}
	// English, and the English spellings that differ.
	for _, w := range strings.Fields(`ministry service agency police office directorate department committee council
		commission authority bureau centre guard gendarmerie prosecutor court organisation administration government
		inspectorate regulator army navy force forces unit command state federal national security intelligence
		internal foreign defence justice finance economy economic general main central special operations military
		border customs investigation criminal crime protection constitution information communications technology
		digital development transport emergency situations public civil supreme republic presidential president
		counter terrorism radio frequency telecommunications telecommunication signals electronic cyber homeland
		surveillance interception monitoring intelligence countering organised financial tax revenue order safety
		people peoples armed interior home anticorruption corruption supervision mass media penitentiary analytical
		systems cryptologic secret drug enforcement immigration assets control research analysis wing inter
		presidency regulatory secretariat establishment board crimes signals royal mounted industry network
		institute postal armament privacy judicial citizen commerce liberation cabinet trade science ict
		revolutionary islamic corps space electronics crypto passive land infrastructure tourism
		`) {
		conceptWords[w], english[w] = w, true
	}
	for w, c := range map[string]string{
		"center": "centre", "defense": "defence", "organization": "organisation", "interior": "internal",
		"home": "internal", "technologies": "technology", "communication": "communications",
		"telecommunication": "telecommunications", "forces": "force", "organized": "organised",
		"countering": "counter", "peoples": "people", "services": "service", "crimes": "crime", "analytic": "analytical", "prosecutors": "prosecutor", "prosecution": "prosecutor",
		"directorate-general": "directorate general", "headquarters": "command", "main": "general",
		"external": "foreign", "anticorruption": "corruption", "civilian": "citizen",
		"cryptography": "crypto", "supervisory": "supervision", "procuratorate": "prosecutor", "cybersecurity": "cyber security",
		"telecom": "telecommunications", "revolution": "revolutionary", "defensive": "defence",
	} {
		conceptWords[w], english[w] = c, true
	}
	// Words whose stem would be too short to stand alone.
	for w, c := range map[string]string{
		// Russian, Ukrainian, Belarusian
		"sud": "court", "del": "",
		// Turkish, Azerbaijani
		"milli": "national", "genel": "general", "emniyet": "security", "kurumu": "authority", "kurum": "authority",
		"bilgi": "information", "dovlet": "state", "devlet": "state", "daxili": "internal",
		// German
		"amt": "office", "innern": "internal", "inneren": "internal", "polizei": "police", "heimat": "homeland",
		// Dutch and the Nordic languages' police, exact: as stems they
		// would take "politiek", "political", "polish"
		"politie": "police", "polis": "police", "polisen": "police", "politi": "police", "politiet": "police",
		// French, Spanish, Italian, Portuguese
		"interieur": "internal", "linterieur": "internal", "interior": "internal", "interno": "internal",
		"dellinterno": "internal", "guardia": "guard", "garde": "guard", "civil": "civil", "civile": "civil",
		"stato": "state", "estado": "state", "etat": "state", "letat": "state",
		// Greek
		"ypiresia": "service", "astynomia": "police", "archi": "authority",
		// Arabic and Hebrew, as the press transliterates them
		"jihaz": "service", "amma": "general", "mishteret": "police",
		// Romanian "interne", exact: as a stem it would take "internet";
		// Serbian and Croatian "military"
		"interne": "internal", "vojna": "military", "vojni": "military", "vojno": "military",
	} {
		addWord(w, c)
	}
	for stem, c := range map[string]string{
		// Russian, Ukrainian, Belarusian, as Words transliterates them.
		"ministerstv": "ministry", "sluzhb": "service", "sluzhby": "service", "bezopasnost": "security",
		"bezpek": "security", "bespek": "security", "gosudarstvenn": "state", "derzhavn": "state", "dzyarzhaun": "state", "kamitet": "committee", "byaspek": "security",
		"federaln": "federal", "natsionaln": "national", "natsyyanaln": "national", "politsi": "police",
		"politsiya": "police", "militsi": "police", "razvedk": "intelligence", "rozvidk": "intelligence",
		"vnutrenn": "internal", "vnutrishn": "internal", "unutran": "internal", "oboron": "defence",
		"inostrann": "foreign", "zakordonn": "foreign", "yustits": "justice", "komitet": "committee",
		"agentstv": "agency", "upravleni": "directorate", "upravlinn": "directorate", "glavn": "general",
		"golovn": "general", "departament": "department", "informatsi": "information", "tekhnologi": "technology",
		"zashchit": "protection", "zakhyst": "protection", "granichn": "border", "prikordonn": "border",
		"pogranichn": "border", "kordonn": "border", "prokuratur": "prosecutor", "verkhovn": "supreme",
		"tsentraln": "central", "spetsialn": "special", "voenn": "military", "viyskov": "military",
		"chrezvychayn": "emergency", "nadzvychayn": "emergency", "situatsi": "situations", "tsifrov": "digital",
		"tsyfrov": "digital", "razviti": "development", "rozvytk": "development", "ekonomichesk": "economic",
		"finansov": "financial", "administratsi": "administration", "pravitelstv": "government",
		"uryad": "government", "svyaz": "communications", "zvyazk": "communications", "sledstvenn": "investigation",
		"rassledovani": "investigation", "rozsliduvan": "investigation", "byuro": "bureau", "tamozhenn": "customs",
		"mytn": "customs", "kontrrazvedk": "counter intelligence", "operativn": "operations", "ugolovn": "criminal",
		"kriminaln": "criminal", "prezidentsk": "presidential", "prezydentsk": "presidential", "ohoron": "protection",
		"okhran": "protection", "kiberbezopasnost": "cyber security", "kiberbezpek": "cyber security",
		"informatsionn": "information", "vneshn": "foreign", "zovnishn": "foreign", "nadzor": "supervision", "massov": "mass",
		// "массовых коммуникаций", mass communications, is what English calls mass media.
		"kommunikatsi": "media",
		// Kazakh
		"ulttyk": "national", "kauipsizdik": "security", "ishki": "internal", "ministrligi": "ministry",
		// Arabic and Hebrew, as the press transliterates them
		"mukhabarat": "intelligence", "istikhbarat": "intelligence", "riasat": "presidency",
		// Portuguese, Spanish
		"judiciari": "judicial", "judicial": "judicial",
		// Greek
		"diasfalis": "security", "aporrit": "privacy", "epikoinon": "communications",
		"telekommunikatsi": "telecommunications", "telekomunikatsi": "telecommunications", "natsgvardi": "national guard",
		"gvardi": "guard", "hvardi": "guard", "vooruzhenn": "armed", "zbroyn": "armed", "sil": "force",
		// Turkish, Azerbaijani
		"istihbarat": "intelligence", "teskilat": "organisation", "mudurlug": "directorate", "icisleri": "internal",
		"bakanlig": "ministry", "teknoloji": "technology", "iletisim": "communications", "guvenlik": "security",
		"jandarma": "gendarmerie", "komutanlig": "command", "savunma": "defence", "disisleri": "foreign",
		"adalet": "justice", "tehlukesizli": "security", "xidmet": "service", "nazirliy": "ministry",
		"reqemsal": "digital", "inkisaf": "development", "neqliyyat": "transport", "muhafiz": "protection",
		"xarici": "foreign", "mudafie": "defence", "ededliyye": "justice", "agentliy": "agency", "sefer": "emergency",
		// German (compounds give several concepts)
		"bundesamt": "federal office", "bundesministerium": "federal ministry", "bundespolizei": "federal police",
		"bundeskriminalamt": "federal criminal police office", "bundesnachrichtendienst": "federal intelligence service",
		"verfassungsschutz": "constitution protection", "landesamt": "state office", "landeskriminalamt": "state criminal police office",
		"ministerium": "ministry", "nachrichtendienst": "intelligence service", "sicherheit": "security",
		"informationstechnik": "information technology", "bundeswehr": "federal armed force", "zollkriminalamt": "customs criminal office",
		"bundesnetzagentur": "federal network agency", "militarischer": "military", "abschirmdienst": "counter intelligence service",
		"verteidigung": "defence", "auswartig": "foreign", "justiz": "justice", "finanzen": "finance",
		// French
		"ministere": "ministry", "direction": "directorate", "generale": "general", "securite": "security",
		"interieure": "internal", "exterieure": "foreign", "nationale": "national", "national": "national",
		"gendarmerie": "gendarmerie", "renseignement": "intelligence", "armees": "armed force", "defense": "defence",
		"douane": "customs", "agence": "agency", "autorite": "authority", "commission": "commission",
		// Spanish, Portuguese, Italian
		"ministerio": "ministry", "ministero": "ministry", "policia": "police", "polizia": "police",
		"nacional": "national", "nazionale": "national", "inteligencia": "intelligence", "centro": "centre",
		"seguridad": "security", "sicurezza": "security", "seguranca": "security", "defensa": "defence",
		"difesa": "defence", "federal": "federal", "agencia": "agency", "agenzia": "agency", "informazioni": "information",
		"direccion": "directorate", "direccao": "directorate", "servicio": "service", "servizio": "service",
		"servico": "service", "investigacion": "investigation", "investigacao": "investigation", "justicia": "justice",
		"giustizia": "justice", "guardia": "guard", "carabinieri": "gendarmerie", "interna": "internal",
		"esterna": "foreign", "exteriores": "foreign", "esteri": "foreign",
		// Polish, Czech
		"ministerstwo": "ministry", "agencja": "agency", "bezpieczenstw": "security", "wewnetrzn": "internal",
		"wywiad": "intelligence", "policja": "police", "administracji": "administration", "centralne": "central",
		"biuro": "bureau", "sluzba": "service", "kontrwywiad": "counter intelligence", "wojskow": "military",
		"bezpecnost": "security", "informacni": "information", "sluzb": "service",
		// Greek, as Words transliterates it (ELOT 743)
		"ypiresi": "service", "pliroforion": "intelligence", "ethnik": "national", "ypourgei": "ministry",
		"prostasias": "protection", "politou": "civil", "dimosias": "public", "taxis": "order", "asfaleias": "security",
		"astynomi": "police",
		// Dutch
		"ministerie": "ministry", "veiligheid": "security", "staatsveiligheid": "state security", "dienst": "service",
		"veiligheidsdienst": "security service", "algemene": "general", "inlichting": "intelligence", "binnenlands": "internal",
		"buitenlands": "foreign", "defensie": "defence", "justitie": "justice", "nationaal": "national",
		"federale": "federal", "instituut": "institute", "centrum": "centre", "postdienst": "postal service",
		"telecommunicatie": "telecommunications", "marechaussee": "gendarmerie", "koninklijke": "royal",
		"militaire": "military", "autoriteit": "authority", "inspectie": "inspectorate",
		// Swedish, Danish, Norwegian
		"sakerhetspolis": "security police", "skyddspolis": "protection police",
		"myndighet": "authority", "verket": "agency", "kommunikationsverk": "communications agency",
		"forsvar": "defence", "forsvarets": "defence", "inrikes": "internal", "utrikes": "foreign",
		"ministeriet": "ministry", "efterretning": "intelligence", "etterretning": "intelligence", "tjeneste": "service",
		"sikkerhed": "security", "sikkerhet": "security", "tull": "customs", "toll": "customs", "rikspolis": "national police",
		"styrelse": "board", "nasjonal": "national", "kommunikation": "communications",
		"kommunikasjon": "communications", "transportstyrelse": "transport board",
		// Finnish
		"suojelupoliisi": "protection police", "poliisi": "police", "keskusrikospoliisi": "central criminal police",
		"sisaministerio": "internal ministry", "puolustus": "defence", "virasto": "agency",
		"viestintavirasto": "communications agency", "viestinta": "communications", "liikenne": "transport",
		"rajavartio": "border guard", "tulli": "customs", "tiedustelu": "intelligence", "turvallisuus": "security",
		// German, more
		"bundes": "federal", "bundesanwaltschaft": "federal prosecutor",
		"militarischen": "military", "sicherheitsdienst": "security service", "staatsschutz": "state protection",
		// Serbian, Croatian, Bosnian, Bulgarian, Macedonian
		"bezbednosn": "security", "sigurnosn": "security", "informativn": "information", "agencij": "agency",
		"ministarstv": "ministry", "unutrasnj": "internal", "unutarnj": "internal", "poslova": "",
		"drzhavn": "state", "agentsi": "agency", "sigurnost": "security", "vtreshn": "internal",
		"razuznavan": "intelligence",
		// Hungarian, Romanian
		"nemzetbiztonsagi": "national security", "szakszolgalat": "special service", "belugyminiszterium": "internal ministry",
		"alkotmanyvedelmi": "constitution protection", "hivatal": "office", "rendorseg": "police", "orszagos": "national",
		"nemzeti": "national", "terrorelharit": "counter terrorism", "kozpont": "centre",
		"serviciul": "service", "informatii": "intelligence", "ministerul": "ministry", "afacerilor": "",
		"politia": "police", "directia": "directorate", "generala": "general",
		// Lithuanian, Latvian
		"valstybes": "state", "saugumo": "security", "departamentas": "department", "policijos": "police",
		"valsts": "state", "drosibas": "security", "dienests": "service", "policija": "police",
		// Uzbek, Swahili, Malay
		"davlat": "state", "xavfsizlik": "security", "xizmati": "service", "ichki": "internal", "ishlar": "",
		"vazirligi": "ministry", "milliy": "national", "jeshi": "force", "polisi": "police", "usalama": "security",
		"taifa": "national", "idara": "department", "wizara": "ministry", "mambo": "", "ndani": "internal",
		"ya": "", "wa": "",
		// Spanish, Portuguese, Italian, Polish, more
		"secretaria": "secretariat", "proteccion": "protection", "protecao": "protection", "protezione": "protection",
		"ciudadana": "citizen", "ciudadano": "citizen", "telecomunicac": "telecommunications",
		"telecomunicaz": "telecommunications", "urzad": "office",
		"komunikacj": "communications", "elektroniczn": "electronic",
		// French, more
		"surete": "security", "renseignements": "intelligence", "conseil": "council", "institut": "institute",
		"postaux": "postal", "confederation": "federal", "royale": "royal", "armement": "armament",
	} {
		if c == "" {
			fillers[stem] = true // a word, not a stem: "poslova" is no "poslovanje"
			continue
		}
		if len(stem) >= 5 {
			conceptStems[stem] = c
			stemStarts[stem[:5]] = true
		} else {
			conceptWords[stem] = c
		}
	}
}

// addWord puts a word of a table where it belongs: a concept, a filler
// (no concept), or, written "country:XX", its country's name.
func addWord(w, c string) {
	switch code, isCountry := strings.CutPrefix(c, "country:"); {
	case isCountry:
		countryWords[w] = code
	case c == "":
		fillers[w] = true
	default:
		conceptWords[w] = c
	}
}

// countryWords maps a word to the country it names, in English or the
// country's own languages (as Words writes them): a body's name often
// carries its state ("of Ukraine", "України", "Republic of Belarus"),
// which the same country's other name may leave out.
var countryWords = func() map[string]string {
	m := map[string]string{}
	for _, c := range country.All() {
		for _, n := range c.Names() {
			if ws := Words(n); len(ws) == 1 {
				m[ws[0]] = c.Code
			}
		}
	}
	for w, code := range map[string]string{
		"rossii": "RU", "rossiyskoy": "RU", "rossiyskaya": "RU", "rossiyskiy": "RU", "rossiiskoi": "RU",
		"ukrayiny": "UA", "ukrayina": "UA", "ukrainy": "UA", "ukraini": "UA", "ukrayini": "UA", "ukraina": "UA", "ukrainskoi": "UA",
		"belarus": "BY", "belarusi": "BY", "belarusskoy": "BY", "rossiya": "RU", "rf": "RU",
		"kazakhstan": "KZ", "kazakstan": "KZ", "qazaqstan": "KZ", "respubliki": "", "respublika": "", "respubliky": "",
		"respublikasynyn": "", "respublikasinin": "", "yisrael": "IL",
		"federatsii": "", "federation": "", "republic": "", "kingdom": "",
		"turkiye": "TR", "turk": "TR", "azerbaycan": "AZ", "azerbaijan": "AZ", "azerbaycanin": "AZ", "respublikasi": "",
		"deutschland": "DE", "bundesrepublik": "", "france": "FR", "francaise": "FR", "republique": "",
		"espana": "ES", "italia": "IT", "italiana": "IT", "brasil": "BR", "brasileira": "BR", "polska": "PL",
		"rzeczypospolitej": "PL", "polskiej": "PL", "hellenic": "GR", "elliniki": "GR", "ellinikis": "GR", "ellados": "GR",
		"misr": "EG", "iran": "IR", "uzbekistan": "UZ", "ozbekiston": "UZ", "kyrgyz": "KG", "kyrgyzstan": "KG",
		// The adjectives bilingual states name their bodies with.
		"canadien": "CA", "canadienne": "CA", "canadiens": "CA", "canadiennes": "CA", "belge": "BE", "belges": "BE",
		"belgisch": "BE", "belgische": "BE", "suisse": "CH", "suisses": "CH", "schweizerische": "CH", "svizzera": "CH",
		"suomen": "FI", "sveriges": "SE", "norges": "NO", "danmarks": "DK", "nederlandse": "NL",
		"roman": "RO", "romana": "RO", "romaniei": "RO",
	} {
		m[w] = code
	}
	return m
}()

// ownCountryWord says whether a word names the given country or a kind
// of state ("republic", "federatsii").
func ownCountryWord(w, countryCode string) bool {
	code, isCountry := countryWords[w]
	return isCountry && (code == "" || strings.EqualFold(code, countryCode))
}

// concepts reads a name's words as a sorted set of concepts, leaving out
// fillers and the words naming the country (or its kind of state); ok is
// false when a word is not known, or when no concept names a kind of
// body.
func concepts(words []string, countryCode string) (set []string, ok bool) {
	body := false
	for _, w := range words {
		if !knownWord(w) {
			w = withoutPrefix(w) // "والاتصالات": and the communications
		}
		if fillers[w] || ownCountryWord(w, countryCode) {
			continue
		}
		c, known := conceptOf(w)
		if !known {
			c, known = unspacedConcepts(w, countryCode) // "公安部": public security, ministry
		}
		if !known {
			return nil, false
		}
		for _, x := range strings.Fields(c) {
			set = append(set, x)
			body = body || bodyConcepts[x]
		}
	}
	slices.Sort(set)
	return slices.Compact(set), body && len(set) > 0
}

// conceptOf is a word's concepts: the word itself, or the longest stem
// it begins with, allowing an ending of up to five letters; an elided
// article ("l'interieur", written "linterieur") is looked through.
func conceptOf(w string) (string, bool) {
	if c, ok := conceptWords[w]; ok {
		return c, true
	}
	if c, ok := conceptWords[strings.TrimSuffix(w, "s")]; ok && len(w) > 4 {
		return c, true
	}
	if len(w) >= 5 && stemStarts[w[:5]] {
		for n := len(w); n >= 5; n-- {
			if c, ok := conceptStems[w[:n]]; ok && len(w)-n <= 5 {
				return c, true
			}
		}
	}
	for _, elided := range elisions {
		if rest, found := strings.CutPrefix(w, elided); found && len(rest) >= 5 {
			if c, ok := conceptWords[rest]; ok {
				return c, true
			}
		}
	}
	return "", false
}

// bodyAcronyms are the acronyms by which the press names well-known
// state bodies, by country, with the concepts of the body's name: most
// are the initials of the name in its own language (FSB, BND, MIT), which
// the English name does not give. An acronym of the table and a name
// (English or native) translated to the same concepts, in that country,
// are one body.
var bodyAcronyms = map[string]map[string]string{
	"RU": {"fsb": "federal security service", "svr": "foreign intelligence service", "fso": "federal protection service",
		"mvd": "ministry internal", "gru": "general intelligence directorate", "sk": "investigation committee",
		"mid": "ministry foreign", "fsin": "federal service penitentiary", "fts": "federal customs service",
		"roskomnadzor": "federal service supervision communications information technology mass media"},
	"UA": {"sbu": "security service", "mvs": "ministry internal", "gur": "general intelligence directorate defence ministry",
		"szru": "foreign intelligence service", "nabu": "national anticorruption bureau", "dbr": "state investigation bureau",
		"npu": "national police", "dpsu": "state border guard service", "dssu": "state special communications service"},
	"BY": {"kgb": "state security committee", "mvd": "ministry internal", "oac": "operations analytical centre",
		"gubopik": "general directorate countering organised crime corruption"},
	"KZ": {"knb": "national security committee", "mvd": "ministry internal"},
	"UZ": {"sgb": "state security service", "snb": "national security service", "mvd": "ministry internal"},
	"KG": {"gknb": "state national security committee"},
	"TJ": {"gknb": "state national security committee"},
	"AZ": {"dtx": "state security service", "xkx": "foreign intelligence service", "din": "ministry internal",
		"mtn": "ministry national security"},
	"AM": {"nss": "national security service"},
	"GE": {"sss": "state security service"},
	"TR": {"mit": "national intelligence organisation", "btk": "information communications technology authority",
		"egm": "general directorate security", "masak": "financial crimes investigation board"},
	"DE": {"bnd": "federal intelligence service", "bfv": "federal office constitution protection",
		"bka": "federal criminal police office", "bsi": "federal office information technology security",
		"mad": "military counter intelligence service", "bmi": "federal ministry internal homeland",
		"zitis": "central office information technology security"},
	"AT": {"dsn": "directorate state security intelligence"},
	"CH": {"ndb": "federal intelligence service", "fedpol": "federal office police"},
	"FR": {"dgsi": "directorate general security internal", "dgse": "directorate general security foreign",
		"drsd": "directorate intelligence security defence", "anssi": "national agency security information systems"},
	"ES": {"cni": "national intelligence centre", "ccn": "national cryptologic centre"},
	"IT": {"aise": "agency information security foreign", "aisi": "agency information security internal",
		"dis": "department information security"},
	"NL": {"aivd": "general intelligence security service", "mivd": "military intelligence security service"},
	"BE": {"vsse": "state security service"},
	"PL": {"abw": "internal security agency", "aw": "foreign intelligence agency", "cba": "central anticorruption bureau",
		"skw": "military counter intelligence service", "sww": "military intelligence service"},
	"CZ": {"bis": "security information service"},
	"HU": {"nbsz": "national security service", "ah": "constitution protection office"},
	"GR": {"eyp": "national intelligence service"},
	"GB": {"gchq": "government communications command", "mi5": "security service", "mi6": "secret intelligence service",
		"sis": "secret intelligence service", "nca": "national crime agency"},
	"US": {"nsa": "national security agency", "cia": "central intelligence agency", "fbi": "federal bureau investigation",
		"dhs": "department homeland security", "bis": "bureau industry security", "dea": "drug enforcement administration",
		"ice": "immigration customs enforcement", "ofac": "office foreign assets control"},
	"IL": {"isa": "israel security agency", "shabak": "israel security agency", "imod": "ministry defence"},
	"SE": {"fra": "national defence radio establishment", "sapo": "security service", "must": "military intelligence security service"},
	"NO": {"pst": "police security service"},
	"FI": {"supo": "security intelligence service"},
	"DK": {"pet": "security intelligence service", "fe": "defence intelligence service"},
	"CA": {"csis": "canadian security intelligence service", "cse": "communications security establishment",
		"rcmp": "royal canadian mounted police"},
	"AU": {"asio": "australian security intelligence organisation", "asd": "australian signals directorate"},
	"EG": {"gis": "general intelligence service", "ntra": "national telecommunications regulatory authority"},
	"IN": {"ib": "intelligence bureau", "raw": "research analysis wing", "nia": "national investigation agency"},
	"PK": {"isi": "inter services intelligence", "pta": "telecommunication authority", "fia": "federal investigation agency"},
	"NG": {"dss": "state security service", "nia": "national intelligence agency"},
	"KE": {"nis": "national intelligence service"},
	"SA": {"gip": "general intelligence presidency"},
	"AE": {"tdra": "telecommunications digital government regulatory authority"},
	"MX": {"cni": "national intelligence centre", "sedena": "secretariat national defence"},
	"CO": {"dni": "national intelligence directorate"},
	"BR": {"abin": "brazilian intelligence agency", "pf": "federal police"},
	"CN": {"mss": "ministry state security", "mps": "ministry public security"},
}

// bodyKey is what a state body's name is known by whatever its
// language: its country and the set of its concepts, an acronym of the
// table read as its body's name; "" when the name does not translate.
func bodyKey(words []string, countryCode string) string {
	if countryCode == "" {
		return ""
	}
	if len(words) == 1 {
		if name, ok := bodyAcronyms[strings.ToUpper(countryCode)][words[0]]; ok {
			words = strings.Fields(name)
		}
	}
	set, ok := concepts(words, countryCode)
	if !ok {
		return ""
	}
	return "c:" + strings.ToUpper(countryCode) + ":" + strings.Join(set, " ")
}

// sameBody says whether two names of one country name the same state
// body once translated: a name in its own language and in English, or an
// acronym of the table and either.
func sameBody(a, b []string, countryCode string) bool {
	k := bodyKey(a, countryCode)
	return k != "" && k == bodyKey(b, countryCode) && (!inEnglish(a) || !inEnglish(b))
}

// inEnglish says whether every word of a name is English or a filler,
// that is, neither a word of another language nor an acronym.
func inEnglish(words []string) bool {
	for _, w := range words {
		if !english[w] && !fillers[w] {
			if _, isCountry := countryWords[w]; !isCountry {
				return false
			}
		}
	}
	return true
}

// NamesABody says whether one of a candidate's names reads as a state
// body of its country (bodyKey): its names in other languages and its
// acronym share no word with it, so a search by words cannot bring them,
// and its country's bodies are its candidates too.
func NamesABody(c Candidate) bool {
	if c.Schema != "PublicBody" {
		return false
	}
	for _, n := range c.Names {
		if bodyKey(newForm(n).words, c.Country) != "" {
			return true
		}
	}
	return false
}
