package resolve

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A registry in China, Japan or Korea writes a body's name without
// spaces, and one in the Arab world, Iran or Israel joins the article and
// "and" to the word ("والاتصالات"). The words of state administration in
// those scripts, and the prefixes joined to them, are read here into the
// same English concepts as the tables of translate.go, so that "公安部" and
// "Ministry of Public Security" are one body in China. As there, a name
// with one piece the tables do not know is left untranslated.

// unspacedWords maps the pieces of Chinese, Japanese and Korean names of
// state bodies to their concepts ("" for a piece that carries none). A
// name is cut into the longest pieces the table knows, from its start.
var unspacedWords = map[string]string{}

// japanese are the pieces Japanese reads otherwise than Chinese.
var japanese = map[string]string{"部": "department"}

// maxUnspaced is the longest piece of unspacedWords, in runes.
var maxUnspaced int

// joinedPrefixes are the article, conjunction and prepositions Arabic,
// Persian and Hebrew join to the word after them, longest first.
var joinedPrefixes = []string{"وال", "بال", "لل", "ال", "و", "ב", "ה", "ו", "ל", "ש"}

func init() {
	for w, c := range map[string]string{
		// Chinese, simplified and traditional.
		"部": "ministry", "局": "bureau", "委员会": "commission", "委員會": "commission", "办公室": "office",
		"辦公室": "office", "总局": "general administration", "總局": "general administration", "总署": "general administration",
		"總署": "general administration", "厅": "department", "廳": "department", "中心": "centre", "公安": "public security",
		"安全": "security", "国家": "state", "國家": "state", "国防": "national defence", "國防": "national defence",
		"外交": "foreign", "司法": "justice", "法务": "justice", "法務": "justice", "商务": "commerce", "商務": "commerce",
		"工业": "industry", "工業": "industry", "信息化": "information technology", "信息": "information", "资讯": "information",
		"資訊": "information", "和": "", "与": "", "與": "", "及": "", "最高": "supreme", "人民": "people", "中央": "central",
		"军事": "military", "軍事": "military", "军": "army", "軍": "army", "警察": "police", "武装": "armed", "武裝": "armed",
		"海关": "customs", "海關": "customs", "法院": "court", "检察院": "prosecutor", "檢察院": "prosecutor",
		"情报": "intelligence", "情報": "intelligence", "调查": "investigation", "調查": "investigation", "移民": "immigration",
		"管理": "administration", "边防": "border", "邊防": "border", "通信": "communications", "电信": "telecommunications",
		"電信": "telecommunications", "交通": "transport", "运输": "transport", "運輸": "transport", "解放": "liberation",
		"网络": "cyber", "網路": "cyber", "内政": "internal", "內政": "internal", "财政": "finance", "財政": "finance",
		"科学技术": "science technology", "科學技術": "science technology", "科技": "science technology",
		"中华人民共和国": "country:CN", "中華人民共和國": "country:CN", "中国": "country:CN", "中國": "country:CN",
		"中华民国": "country:TW", "中華民國": "country:TW", "台湾": "country:TW", "臺灣": "country:TW",
		// Japanese.
		"省": "ministry", "庁": "agency", "室": "office", "総務": "internal communications", "警察庁": "national police agency",
		"防衛": "defence", "外務": "foreign", "内閣": "cabinet", "経済産業": "economy trade industry",
		"国土交通": "land infrastructure transport tourism", "内閣府": "cabinet office", "日本": "country:JP", "日本国": "country:JP",
		// Korean.
		"국가": "national", "정보": "intelligence", "원": "service", "부": "ministry", "청": "agency", "경찰": "police",
		"경찰청": "national police agency", "국방": "national defence", "외교": "foreign", "법무": "justice",
		"행정안전": "internal safety", "과학기술정보통신": "science ict", "사이버": "cyber", "작전": "operations",
		"사령부": "command", "방첩": "counter intelligence", "국군": "armed force", "위원회": "commission",
		"대한민국": "country:KR", "한국": "country:KR",
	} {
		key := strings.Join(Words(w), "")
		unspacedWords[key] = c
		maxUnspaced = max(maxUnspaced, utf8.RuneCountInString(key))
	}
	// Words of the scripts with spaces, joined prefixes taken off.
	for w, c := range map[string]string{
		// Arabic.
		"وزارة": "ministry", "داخلية": "internal", "دفاع": "defence", "خارجية": "foreign", "عدل": "justice",
		"اتصالات": "communications", "تقنية": "technology", "معلومات": "information", "جهاز": "service",
		"مخابرات": "intelligence", "استخبارات": "intelligence", "عامة": "general", "عام": "general", "أمن": "security",
		"وطني": "national", "قومي": "national", "دولة": "state", "هيئة": "authority", "تنظيم": "regulatory",
		"رقابة": "supervision", "إدارة": "directorate", "مديرية": "directorate", "شرطة": "police", "رئاسة": "presidency",
		"فضاء": "space", "حرس": "guard", "ثوري": "revolutionary", "مركز": "centre", "سيبراني": "cyber", "مجلس": "council",
		"اتحادية": "federal", "رقمي": "digital", "حكومة": "government", "جيش": "army", "مصر": "country:EG",
		"السعودية": "country:SA", "عربية": "", "إمارات": "country:AE", "متحدة": "",
		// Persian.
		"وزارت": "ministry", "ارتباطات": "communications", "اطلاعات": "information", "و": "", "فناوری": "technology",
		"سپاه": "corps", "پاسداران": "guard", "انقلاب": "revolutionary", "اسلامی": "islamic", "پلیس": "police", "سازمان": "organisation", "پدافند": "defence",
		"غیرعامل": "passive", "ملی": "national", "امنیت": "security", "ایران": "country:IR",
		// Hebrew.
		"משרד": "ministry", "תקשורת": "communications", "משטרה": "police", "משטרת": "police", "שירות": "service",
		"כללי": "general", "רשות": "authority", "סייבר": "cyber", "לאומי": "national", "מערך": "directorate",
		"ביטחון": "defence", "פנים": "internal", "חוץ": "foreign", "משפטים": "justice", "ישראל": "country:IL",
		// Hindi.
		"विभाग": "department", "दूरसंचार": "telecommunications", "मंत्रालय": "ministry", "गृह": "internal", "रक्षा": "defence",
		"विदेश": "foreign", "खुफिया": "intelligence", "आसूचना": "intelligence", "ब्यूरो": "bureau", "राष्ट्रीय": "national",
		"जांच": "investigation", "अन्वेषण": "investigation", "एजेंसी": "agency", "केंद्रीय": "central", "पुलिस": "police",
		"संचार": "communications", "सूचना": "information", "प्रौद्योगिकी": "technology", "इलेक्ट्रॉनिकी": "electronics",
		"और": "", "एवं": "", "भारत": "country:IN",
		// Vietnamese and Indonesian or Malay, whose words are Latin.
		"bo": "ministry", "cong": "public", "an": "security", "quoc": "national", "phong": "defence", "tong": "general",
		"cuc": "department", "canh": "police", "sat": "", "thong": "information", "tin": "", "truyen": "communications",
		"badan": "agency", "siber": "cyber", "sandi": "crypto", "negara": "national", "kementerian": "ministry",
		"kepolisian": "police", "intelijen": "intelligence", "nasional": "national", "pertahanan": "defence",
		"dalam": "internal", "negeri": "", "komunikasi": "communications", "informatika": "information technology",
		"diraja": "royal", "kerajaan": "government",
	} {
		addWord(strings.Join(Words(w), ""), c)
	}
}

// unspacedConcepts reads a word of Chinese, Japanese or Korean as the
// concepts of its pieces, the longest the table knows first, leaving out
// its own country; ok is false when a piece is not known.
func unspacedConcepts(w, countryCode string) (string, bool) {
	if !unspaced(w) {
		return "", false
	}
	rs := []rune(w)
	var out []string
	for i := 0; i < len(rs); {
		n := min(maxUnspaced, len(rs)-i)
		for ; n > 0; n-- {
			if _, ok := unspacedWords[string(rs[i:i+n])]; ok {
				break
			}
		}
		if n == 0 {
			return "", false
		}
		c := unspacedWords[string(rs[i:i+n])]
		if jc, ok := japanese[string(rs[i:i+n])]; ok && strings.EqualFold(countryCode, "JP") {
			c = jc // in Japan a ministry is 省, and 部 a department
		}
		if code, isCountry := strings.CutPrefix(c, "country:"); isCountry {
			if !strings.EqualFold(code, countryCode) {
				return "", false // another country's name is no filler
			}
		} else if c != "" {
			out = append(out, c)
		}
		i += n
	}
	return strings.Join(out, " "), true
}

// unspaced says whether a word is in a script written without spaces.
func unspaced(w string) bool {
	for _, r := range w {
		if unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
			return true
		}
	}
	return false
}

// withoutPrefix is a word of Arabic, Persian or Hebrew with the article,
// conjunction or preposition joined to it taken off, when what is left is
// a word the tables know; the word as it is otherwise.
func withoutPrefix(w string) string {
	for _, p := range joinedPrefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 2 && knownWord(rest) {
			return rest
		}
	}
	return w
}

// knownWord says whether the tables read a word: a filler, a country's
// name or a concept.
func knownWord(w string) bool {
	_, country := countryWords[w]
	_, concept := conceptOf(w)
	return fillers[w] || country || concept
}
