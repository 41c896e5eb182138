// Package resolve decides whether two names name the same entity: names
// are normalised (case, diacritics, punctuation, legal forms in many
// languages, abbreviated or written out, a leading "the", Cyrillic, Greek
// and Azerbaijani letters written in Latin), compared token by token with
// Jaro-Winkler after the ways transliterations differ are folded, and
// weighed with the countries when both are known. In one country an
// acronym matches the initials of a body's name, and a brand the legal
// name that adds only a place and common words; in two countries a name
// of common words alone ("Ministry of Interior") is two bodies. Every score comes with the explanation of
// how it was reached, since a reviewer must be able to see why two names
// were put together, and a false link between a company and a security
// service is a libel risk: precision comes first.
package resolve

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The decision thresholds. At or above Same the names are taken as one
// entity; from Review up to Same a person decides; below, different.
const (
	Same   = 0.93
	Review = 0.80
)

// Decision is what a score means.
type Decision string

// The decisions.
const (
	DecideSame      Decision = "same"
	DecideReview    Decision = "review"
	DecideDifferent Decision = "different"
)

// Decide reads a score.
func Decide(score float64) Decision {
	switch {
	case score >= Same:
		return DecideSame
	case score >= Review:
		return DecideReview
	}
	return DecideDifferent
}

// transliteration writes Cyrillic (Russian, Ukrainian, Belarusian,
// Kazakh) and the Azerbaijani letters that do not decompose in Latin.
var transliteration = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'ђ': "dj", 'џ': "dz",
	'ѓ': "g", 'ќ': "k", 'ѕ': "dz", 'қ': "k", 'ғ': "g", 'ң': "n", 'ү': "u", 'ұ': "u", 'һ': "h", 'ә': "a", 'ө': "o",
	'ə': "e", 'ı': "i", 'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'đ': "d", 'ł': "l", 'þ': "th",
	// Greek, as ELOT 743 writes it.
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l",
	'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f",
	'χ': "ch", 'ψ': "ps", 'ω': "o",
	// Georgian, as the national system of 2002 writes it (its aspirated
	// and ejective pairs alike).
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z", 'თ': "t", 'ი': "i", 'კ': "k", 'ლ': "l",
	'მ': "m", 'ნ': "n", 'ო': "o", 'პ': "p", 'ჟ': "zh", 'რ': "r", 'ს': "s", 'ტ': "t", 'უ': "u", 'ფ': "p", 'ქ': "k",
	'ღ': "gh", 'ყ': "q", 'შ': "sh", 'ჩ': "ch", 'ც': "ts", 'ძ': "dz", 'წ': "ts", 'ჭ': "ch", 'ხ': "kh", 'ჯ': "j", 'ჰ': "h",
	// Armenian, letter for letter (ու, one sound, is u).
	'ա': "a", 'բ': "b", 'գ': "g", 'դ': "d", 'ե': "e", 'զ': "z", 'է': "e", 'ը': "y", 'թ': "t", 'ժ': "zh", 'ի': "i",
	'լ': "l", 'խ': "kh", 'ծ': "ts", 'կ': "k", 'հ': "h", 'ձ': "dz", 'ղ': "gh", 'ճ': "ch", 'մ': "m", 'յ': "y", 'ն': "n",
	'շ': "sh", 'ո': "o", 'չ': "ch", 'պ': "p", 'ջ': "j", 'ռ': "r", 'ս': "s", 'վ': "v", 'տ': "t", 'ր': "r", 'ց': "ts",
	'ւ': "u", 'փ': "p", 'ք': "k", 'օ': "o", 'ֆ': "f", 'և': "ev",
}

// legalForms are the company-form words and abbreviations (after
// normalisation, one or more tokens) that say nothing about which company
// is meant.
var legalForms = [][]string{
	{"limited"}, {"ltd"}, {"inc"}, {"incorporated"}, {"corp"}, {"corporation"}, {"co"}, {"company"}, {"llc"}, {"llp"}, {"lp"},
	{"plc"}, {"gmbh"}, {"ag"}, {"kg"}, {"sa"}, {"s", "a"}, {"sas"}, {"sarl"}, {"srl"}, {"s", "r", "l"}, {"spa"}, {"s", "p", "a"},
	{"bv"}, {"b", "v"}, {"nv"}, {"n", "v"}, {"ab"}, {"as"}, {"asa"}, {"a", "s"}, {"oy"}, {"oyj"}, {"kk"}, {"pte"}, {"pty"},
	{"sdn", "bhd"}, {"bhd"}, {"ooo"}, {"oao"}, {"zao"}, {"pao"}, {"ao"}, {"mmc"}, {"ojsc"}, {"cjsc"}, {"jsc"}, {"pjsc"},
	{"kft"}, {"zrt"}, {"sp", "z", "o", "o"}, {"doo"}, {"d", "o", "o"}, {"ltda"}, {"de", "cv"}, {"sa", "de", "cv"}, {"s", "a", "de", "c", "v"},
	{"aps"}, {"a", "s"}, {"sl"}, {"s", "l"}, {"sae"}, {"wll"}, {"fze"}, {"fzco"}, {"fz", "llc"}, {"private"}, {"pvt"},
	{"tovarishchestvo", "s", "ogranichennoy", "otvetstvennostyu"}, {"obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"},
	// Forms written out, as registries write them.
	{"ulc"}, {"aktiengesellschaft"}, {"gesellschaft", "mit", "beschrankter", "haftung"}, {"kommanditgesellschaft"},
	{"societa", "per", "azioni"}, {"societa", "a", "responsabilita", "limitata"}, {"besloten", "vennootschap"},
	{"naamloze", "vennootschap"}, {"aktiebolag"}, {"aksjeselskap"}, {"aktieselskab"}, {"osakeyhtio"}, {"julkinen", "osakeyhtio"},
	{"kabushiki", "kaisha"}, {"kabushiki", "gaisha"}, {"godo", "kaisha"}, {"yugen", "kaisha"},
	{"public", "joint", "stock", "company"}, {"joint", "stock", "company"}, {"closed", "joint", "stock", "company"},
	{"open", "joint", "stock", "company"}, {"public", "limited", "company"}, {"limited", "liability", "company"},
	{"limited", "liability", "partnership"}, {"private", "limited", "company"}, {"proprietary", "limited"},
	{"publichnoe", "aktsionernoe", "obshchestvo"}, {"aktsionernoe", "obshchestvo"}, {"zakrytoe", "aktsionernoe", "obshchestvo"},
	{"otkrytoe", "aktsionernoe", "obshchestvo"}, {"prat"}, {"tov"},
	{"anonim", "sirketi"}, {"limited", "sirketi"}, {"ae"}, {"anonymi", "etaireia"}, {"epe"},
	{"sociedad", "anonima"}, {"societe", "anonyme"}, {"societe", "par", "actions", "simplifiee"}, {"sp", "zoo"},
	{"sp", "z", "oo"}, {"spolka", "z", "ograniczona", "odpowiedzialnoscia"}, {"spolka", "akcyjna"},
	{"unlimited", "liability", "company"}, {"unlimited", "company"},
	{"zartkoruen", "mukodo", "reszvenytarsasag"}, {"nyilvanosan", "mukodo", "reszvenytarsasag"}, {"reszvenytarsasag"},
	{"korlatolt", "felelossegu", "tarsasag"}, {"zrt"}, {"nyrt"}, {"rt"},
	{"spolecnost", "s", "rucenim", "omezenym"}, {"spolocnost", "s", "rucenim", "obmedzenym"}, {"spol", "s", "r", "o"},
	{"sro"}, {"s", "r", "o"}, {"akciova", "spolecnost"}, {"akciova", "spolocnost"},
	{"anpartsselskab"}, {"allmennaksjeselskap"}, {"societas", "europaea"}, {"se"},
	{"pat"}, {"prjsc"}, {"aktsionerne", "tovarystvo"}, {"pryvatne", "aktsionerne", "tovarystvo"},
	{"publichne", "aktsionerne", "tovarystvo"}, {"tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"},
	// South Slavic and Bulgarian, Baltic, Malay and Indonesian, Vietnamese,
	// Thai, Chinese in pinyin, Spanish and French single-owner forms.
	{"drustvo", "s", "ogranicenom", "odgovornoscu"}, {"drustvo", "sa", "ogranicenom", "odgovornoscu"},
	{"druzba", "z", "omejeno", "odgovornostjo"}, {"dd"}, {"d", "d"}, {"ead"}, {"eood"}, {"ood"},
	{"aktsionerno", "druzhestvo"}, {"ednolichno", "aktsionerno", "druzhestvo"},
	{"druzhestvo", "s", "ogranichena", "otgovornost"}, {"uab"}, {"ou"},
	{"sendirian", "berhad"}, {"berhad"}, {"pt"}, {"tbk"}, {"persero"},
	{"cong", "ty", "tnhh"}, {"cong", "ty", "co", "phan"}, {"tnhh"}, {"public", "company", "limited"},
	{"youxian", "gongsi"}, {"gufen", "youxian", "gongsi"}, {"youxian", "zeren", "gongsi"},
	{"slu"}, {"s", "l", "u"}, {"sau"}, {"s", "a", "u"}, {"sasu"}, {"sociedad", "limitada"},
	{"sociedad", "de", "responsabilidad", "limitada"}, {"societe", "a", "responsabilite", "limitee"},
	{"sociedade", "anonima"}, {"eireli"}, {"sti"}, {"fzc"},
	{"rup"}, {"rue"}, {"ad"}, {"a", "d"},
	{"aktiebolaget"}, {"telefonaktiebolaget"}, {"publ"}, {"spol", "s", "ro"},
	{"de", "droit", "public"}, {"van", "publiek", "recht"},
}

// formsStarting indexes the legal forms by their first word.
var formsStarting = func() map[string][][]string {
	m := map[string][][]string{}
	for _, lf := range legalForms {
		m[lf[0]] = append(m[lf[0]], lf)
	}
	return m
}()

// formWords are the words of the legal forms.
var formWords = func() map[string]bool {
	m := map[string]bool{}
	for _, lf := range legalForms {
		for _, w := range lf {
			m[w] = true
		}
	}
	return m
}()

// Droppable says whether Reduce may leave word out of a name: a word of a
// legal form, a leading "the" or a dangling "and". A span of text with any
// other word that a gazetteer has no name with cannot be one of its names.
func Droppable(word string) bool {
	return formWords[word] || word == "the" || word == "and"
}

// Normalise writes a name the way it is compared: lower case, Latin
// letters without marks, words of letters and digits, legal forms and a
// leading "the" left out.
func Normalise(name string) []string {
	return Reduce(Words(name))
}

// Key is Normalise joined: what a gazetteer indexes a name by.
func Key(words []string) string { return strings.Join(Reduce(words), " ") }

// Reduce drops a leading "the" and the legal forms from words that Words
// made, so text can be split into words once and its spans reduced many
// times.
func Reduce(tokens []string) []string {
	if len(tokens) > 1 && tokens[0] == "the" {
		tokens = tokens[1:]
	}
	return stripLegalForms(tokens)
}

// Words is the first half of Normalise: lower case, Latin letters without
// marks, words of letters and digits; legal forms are kept.
func Words(name string) []string {
	var b strings.Builder
	// Armenian writes u with two letters.
	for _, r0 := range strings.ReplaceAll(strings.ToLower(name), "ու", "u") {
		// A letter of the table is looked up before decomposition, which
		// would split "й" into "и" and a breve, "ї" into "і" and a
		// diaeresis.
		if r0 < utf8.RuneSelf {
			writeWordRune(&b, r0)
			continue
		}
		if latin, ok := transliteration[r0]; ok {
			b.WriteString(latin)
			continue
		}
		for _, r := range norm.NFKD.String(string(r0)) {
			if latin, ok := transliteration[r]; ok {
				b.WriteString(latin)
			} else if !unicode.Is(unicode.Mn, r) { // a mark that decomposition split off a letter
				writeWordRune(&b, r)
			}
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if conjunctions[w] {
			words[i] = "and" // "Rohde und Schwarz", "Rohde & Schwarz"
		}
	}
	return words
}

// conjunctions are "and" in the languages whose company names use it.
var conjunctions = map[string]bool{"und": true, "et": true, "och": true, "og": true}

// writeWordRune writes a letter or digit as it is, "&" as "and", leaves
// out the apostrophes and full stops that join a word ("Hacking Team's",
// "S.A."), and writes anything else as a space.
func writeWordRune(b *strings.Builder, r rune) {
	switch {
	case r == '&':
		b.WriteString(" and ")
	case r == '\'' || r == '’' || r == '.':
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r):
		// A spacing vowel sign stays in its word, so "दूरसंचार" stays
		// one word (its non-spacing signs go, as accents do).
		b.WriteRune(r)
	default:
		b.WriteByte(' ')
	}
}

// stripLegalForms drops legal forms wherever they stand ("Example
// Holding GmbH & Co. KG"), unless nothing would be left.
func stripLegalForms(tokens []string) []string {
	var out []string
	for i := 0; i < len(tokens); {
		n := 0
		for _, lf := range formsStarting[tokens[i]] {
			if len(lf) > n && i+len(lf) <= len(tokens) && equal(tokens[i:i+len(lf)], lf) {
				n = len(lf)
			}
		}
		if n > 0 {
			i += n
			continue
		}
		out = append(out, tokens[i])
		i++
	}
	if len(out) == 0 {
		return tokens
	}
	// "and" left dangling by a stripped form ("Smith & Co") goes too.
	for len(out) > 1 && out[len(out)-1] == "and" {
		out = out[:len(out)-1]
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Score is a comparison with its explanation.
type Score struct {
	Value       float64
	Decision    Decision
	Explanation string
}

// Compare scores two names, with their countries when known (ISO codes;
// empty when not). Two different countries weigh against one entity (a
// subsidiary abroad is a legal entity of its own); the same country is
// not evidence for, since most names in a source share one.
func Compare(a, b, countryA, countryB string) Score {
	return compareWords(newForm(a), newForm(b), countryA, countryB, true)
}

// form is a name as compared: its normalised words, whether the name as
// written carried a legal form, which the words leave out, and its words
// with the legal forms kept, whose initials an acronym may include
// ("BSNL" of "Bharat Sanchar Nigam Limited").
type form struct {
	words []string
	legal bool
	whole []string
	// elided are the words with French and Italian elisions split off
	// ("d'information" as "d information"), for initials.
	elided []string
}

// newForm reads a name as Normalise does, keeping what it left out.
func newForm(name string) form {
	whole := Words(name)
	if len(whole) > 1 && whole[0] == "the" {
		whole = whole[1:]
	}
	words := stripLegalForms(whole)
	var elided []string
	if elision.MatchString(name) {
		elided = Reduce(Words(elision.ReplaceAllString(name, "$1 ")))
	} else {
		elided = words
	}
	return form{words, len(words) < len(whole), whole, elided}
}

// elisions are the French and Italian articles and prepositions elided
// before a vowel: "l'État", "d'information", "dell'Interno". Written
// without the apostrophe they lead a word ("linterieur").
var elisions = []string{"dell", "dall", "nell", "sull", "all", "qu", "d", "l"}

// elision finds one, apostrophe and all.
var elision = regexp.MustCompile(`(?i)\b(` + strings.Join(elisions, "|") + `)['’]`)

// compareWords is Compare on names already normalised. The explanation
// costs more than the score, so it is written only when asked for.
func compareWords(fa, fb form, countryA, countryB string, explain bool) Score {
	ta, tb := fa.words, fb.words
	var why []string
	note := func(format string, args ...any) {
		if explain {
			why = append(why, fmt.Sprintf(format, args...))
		}
	}
	if explain {
		note("normalised %q and %q", strings.Join(ta, " "), strings.Join(tb, " "))
	}
	var v float64
	switch {
	case equal(ta, tb):
		v = 1
		note("equal after normalisation")
	case joinedEqual(ta, tb):
		v = 0.98
		note("equal but for spacing")
	case foldedEqual(ta, tb):
		v = 0.96
		note("equal but for how a transliteration spells sounds (k for c, i for y, …)")
	case sameCountry(countryA, countryB) && transliterations(ta, tb, countryA):
		v = 0.95
		note("the same words as two transliterations write them (i, y and j, kh and h, ts and c, a g or h between vowels apart), in one country")
	case sameCountry(countryA, countryB) && (acronymOf(ta, tb) || acronymOf(fa.whole, fb.whole) || acronymOf(fa.elided, fb.elided) ||
		countryLessAcronym(ta, tb, countryA)):
		v = Same
		note("the one is the initials of the other, in one country")
	case sameCountry(countryA, countryB) && !fa.legal && !fb.legal && sameBody(ta, tb, countryA):
		v = Same
		note("the same state body once read in English (word for word, the country's own name left out; a known acronym as the body's name), in one country: %s", strings.TrimPrefix(bodyKey(ta, countryA), "c:"))
	case sameCountry(countryA, countryB) && brandWithin(ta, tb):
		v = Same
		note("the one's words are the other's, which adds a place and common words, in one country")
	case sameCountry(countryA, countryB) && fa.legal != fb.legal && bareBrandOf(fa, fb, countryA):
		v = Same
		note("the one is a bare name and the other a legal name that adds only common words to it, in one country")
	default:
		ab, ba := mongeElkan(ta, tb), mongeElkan(tb, ta)
		v = min(ab, ba)
		note("tokens of the first in the second %.2f, of the second in the first %.2f (common words count %.1f); the lower counts", ab, ba, genericWeight)
		// Every distinctive word must be in the other name, letter for
		// letter (a plural aside), for the two to be taken as one without
		// a reviewer: "Verint" is not "Veritas", nor "Septier" "Sepier".
		if t := unmatchedDistinctive(ta, tb); t != "" && v >= Same {
			v = Same - 0.01
			note("the distinctive word %q is not in the other name as written: no more than review", t)
		}
		// "X Group Co." and "X Ltd.", "X Holding Corporation" and "X
		// Inc.": a group and a company of it, or a holding and what it
		// holds, are two legal entities whose names differ by that word.
		// "China Telecom" and "China Telecommunications": names whose only
		// distinctive word is a place are told apart by their common words.
		if v >= Same && placeAndCommon(ta) && placeAndCommon(tb) && !foldedEqual(ta, tb) {
			v = Same - 0.01
			note("a place and common words, which differ: no more than review")
		}
		if t := groupWordApart(ta, tb); t != "" && v >= Same {
			v = Same - 0.01
			note("only one says %q: a group or a holding and a company of it are two; no more than review", t)
		}
	}
	if countryA != "" && countryB != "" && !strings.EqualFold(countryA, countryB) {
		if allGeneric(ta) && allGeneric(tb) {
			// "Ministry of Interior" of Egypt and of Iran: a name made of
			// common words alone names a different body in each country.
			v *= 0.5
			note("a name of common words only, in two countries %s and %s: two bodies ×0.50", strings.ToUpper(countryA), strings.ToUpper(countryB))
		} else if !fa.legal && !fb.legal && stateBody(ta) && stateBody(tb) {
			// A body of the state ("Gendarmerie nationale", "Ministerio
			// de Defensa") belongs to one state: in two countries, two.
			v *= 0.5
			note("the name of a state body, in two countries %s and %s: two bodies ×0.50", strings.ToUpper(countryA), strings.ToUpper(countryB))
		} else {
			v *= 0.8
			note("countries %s and %s differ ×0.80", strings.ToUpper(countryA), strings.ToUpper(countryB))
		}
	}
	d := Decide(v)
	note("score %.3f: %s", v, d)
	return Score{Value: v, Decision: d, Explanation: strings.Join(why, "; ")}
}

func sameCountry(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

// allGeneric says whether a name is made of common words alone, or the
// words of a state's portfolios: "Ministry of Internal Affairs".
func allGeneric(ts []string) bool {
	for _, t := range ts {
		if !generic[t] && !portfolios[t] {
			return false
		}
	}
	return len(ts) > 0
}

// stateBody says whether a name has a word that names a kind of state
// body, in the languages the sources bring.
func stateBody(ts []string) bool {
	for _, t := range ts {
		if bodyWords[t] {
			return true
		}
	}
	return false
}

var bodyWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`ministry ministerio ministere ministerium ministero ministerstvo ministerstva nazirliyi bakanligi
		agency agence agentur agencia authority autorite autoridad behorde commission commissione comision komissiya
		council conseil consejo committee comite komitet directorate direction direccion direktsiya department
		departement departamento office bureau bundesamt service servicio sluzhba unit police politsiya policia polizei
		gendarmerie guard garde guardia fiscalia procuratura prokuratura parquet court tribunal regulator inspectorate
		inspektsiya`) {
		bodyWords[w] = true
	}
}

// portfolios are what a ministry or a force is of; they tell one country's
// bodies apart, not one country's from another's.
var portfolios = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`interior internal affairs home defence defense foreign justice finance economy
		police intelligence public safety army armed forces force navy air guard border customs immigration
		information communications transport health education crime investigation investigations counter terrorism
		protection gendarmerie military special operations`) {
		portfolios[w] = true
	}
}

// folds are the spellings transliterations differ by, each written one
// way (built once: a Replacer is costly to make and safe to share).
var folds = strings.NewReplacer("kh", "h", "ck", "k", "c", "k", "q", "k", "x", "ks", "ph", "f", "w", "v", "y", "i", "j", "i",
	"dzh", "g", "zh", "j", "ue", "u", "oe", "o", "ae", "a")

// fold writes a Latin-lettered word the way transliterations agree on it:
// "rostelekom" and "rostelecom", "tekhnolodzhiz" and "technologies" are
// not the same words, but "jandeks", "yandex" and "iandeks" are.
func fold(w string) string {
	if strings.ContainsAny(w, "0123456789") {
		return w // "11" is not "1": numbers are equal or not
	}
	return undouble(folds.Replace(tsBeforeVowel(w))) // doubled letters: "telecomm", "azercell"
}

// undouble writes a doubled letter once.
func undouble(w string) string {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if i == 0 || w[i] != w[i-1] {
			b.WriteByte(w[i])
		}
	}
	return b.String()
}

// tsBeforeVowel writes "ts" inside a word and before a vowel as "c":
// Cyrillic "ц" is "ts" in Russian transliteration and "c" in Serbian,
// Polish and Latin-letter names ("kontsern", "concern"; "agentsija",
// "agencija"). A "ts" that ends a word is an English plural ("parts" is
// not "park"), and one that begins it a Cantonese name ("Tsang" is not
// "Kang").
func tsBeforeVowel(w string) string {
	if !strings.Contains(w, "ts") {
		return w
	}
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == 't' && i+2 < len(w) && w[i+1] == 's' && strings.IndexByte("aeiouy", w[i+2]) >= 0 {
			b.WriteByte('c')
			i++
			continue
		}
		b.WriteByte(w[i])
	}
	return b.String()
}

// foldedEqual says whether two names are word for word equal once folded.
func foldedEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if fold(a[i]) != fold(b[i]) {
			return false
		}
	}
	return true
}

// sounds are the spellings in which transliterations of one word differ
// beyond what fold evens out: "Tsentr" and "Centr", "tekhnologiy" and
// "tehnologij", "Viomichania" and "Viomihania". Each is written one way
// (kh, ch and Azerbaijani x as h), then i, y and j, which one spelling
// writes where another has nothing, are left out. "x" is "ks", as fold
// has it ("Amexis" is not "Amesys"). No consonant is dropped: "Signum"
// is not "Sinum", nor "Granit" "Ranit".
var (
	sounds       = strings.NewReplacer("kh", "h", "ch", "h", "sh", "s", "ph", "f", "x", "ks", "q", "k", "c", "k", "w", "v", "i", "", "y", "", "j", "")
	azerbaijaniX = strings.NewReplacer("x", "kh")
)

// skeleton is a word as sounds writes it, doubled letters once; a "ts"
// before a vowel is "c" at the start of a word too ("Tsentr"); and a g or
// h between two vowels is left out, as Ukrainian writes h for Russian g
// ("spetsialnogo", "spetsialnoho").
func skeleton(w, countryCode string) string {
	if strings.EqualFold(countryCode, "AZ") {
		w = azerbaijaniX.Replace(w)
	}
	if rest, ok := strings.CutPrefix(w, "ts"); ok && rest != "" && strings.IndexByte("aeiouy", rest[0]) >= 0 {
		w = "c" + rest
	}
	w = sounds.Replace(tsBeforeVowel(w))
	vowel := func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if (w[i] == 'g' || w[i] == 'h') && i > 0 && i+1 < len(w) && vowel(w[i-1]) && vowel(w[i+1]) {
			continue
		}
		b.WriteByte(w[i])
	}
	return undouble(b.String())
}

// transliterations says whether two names of one country are word for
// word the same words written by two transliterations: each pair of words
// equal once folded or, for words of five letters or more, with the same
// skeleton; one pair at least differs so. Numbers must be equal.
func transliterations(a, b []string, countryCode string) bool {
	if len(a) != len(b) {
		return false
	}
	differ := false
	for i := range a {
		x, y := a[i], b[i]
		if fold(x) == fold(y) {
			continue
		}
		if isNumber(x) || isNumber(y) || len(x) < 5 || len(y) < 5 || skeleton(x, countryCode) != skeleton(y, countryCode) {
			return false
		}
		differ = true
	}
	return differ
}

// HasLegalForm says whether a name carries a legal form ("Signum
// Intelligence Ltd", "ООО Ромашка"): one the normalisation would strip.
func HasLegalForm(name string) bool { return newForm(name).legal }

// Acronym says whether one of two names is the initials of the other:
// "ICE" and "Immigration and Customs Enforcement".
func Acronym(a, b string) bool { return acronymOf(Normalise(a), Normalise(b)) }

// acronymOf says whether one name is a single word made of the initials
// of the other's words (small words such as "of" skipped or kept), or of
// its words before a qualifier that names the state it belongs to
// ("SSSCIP", "State Service of Special Communications and Information
// Protection of Ukraine"; "OAC", "Operational and Analytical Centre under
// the President of the Republic of Belarus"). Three letters at least for
// a cut name: two initials match too much.
func acronymOf(a, b []string) bool {
	if len(b) == 1 && len(a) > 1 {
		a, b = b, a
	}
	if len(a) != 1 || len(b) < 2 || len(a[0]) < 2 {
		return false
	}
	var all, content strings.Builder
	for i, w := range b {
		if i > 0 && qualifiers[w] && len(a[0]) >= 3 && (a[0] == all.String() || a[0] == content.String()) {
			return true
		}
		all.WriteByte(w[0])
		if !functionWords[w] {
			content.WriteByte(w[0])
		}
	}
	return a[0] == all.String() || a[0] == content.String()
}

// countryLessAcronym is acronymOf on names without their country's name,
// with the same three letters at least as any cut name.
func countryLessAcronym(a, b []string, countryCode string) bool {
	a, b = withoutCountry(a, countryCode), withoutCountry(b, countryCode)
	short := a
	if len(b) < len(a) {
		short = b
	}
	return len(short) == 1 && len(short[0]) >= 3 && acronymOf(a, b)
}

// withoutCountry leaves out the words that name a body's own country or
// its kind of state, which an acronym may be written with ("ФСБ России")
// or without ("SVR", "Служба внешней разведки Российской Федерации").
func withoutCountry(words []string, countryCode string) []string {
	var out []string
	for _, w := range words {
		if !ownCountryWord(w, countryCode) {
			out = append(out, w)
		}
	}
	return out
}

// qualifiers start the part of a body's name that says whose it is, which
// its acronym often leaves out.
var qualifiers = map[string]bool{"of": true, "under": true, "at": true, "in": true}

// places are the provinces and cities that lead Chinese companies' legal
// names ("Hangzhou Hikvision Digital Technology"), which the brand leaves
// out.
var places = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`beijing shanghai tianjin chongqing hangzhou zhejiang guangdong guangzhou shenzhen
		jiangsu nanjing suzhou wuxi anhui hefei hubei wuhan hunan changsha sichuan chengdu shandong jinan qingdao fujian
		xiamen fuzhou henan zhengzhou hebei shijiazhuang liaoning shenyang dalian jilin changchun heilongjiang harbin
		shaanxi xian shanxi taiyuan yunnan kunming guizhou guiyang guangxi nanning jiangxi nanchang hainan haikou
		xinjiang urumqi gansu lanzhou ningxia yinchuan qinghai xining tibet lhasa inner mongolia hohhot hong kong macau`) {
		places[w] = true
	}
}

// brandWithin says whether one name's words are all in the other, with
// one distinctive word at least, and the other adds a place and common
// words: "Dahua" and "Zhejiang Dahua Technology". A sister company adds
// a word of its own ("Huawei Marine Networks") and is not taken for the
// brand.
func brandWithin(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	distinctive := 0
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false // every word, common ones too: "Gamma International" is no "Gamma Communications"
		}
		if !generic[x] {
			distinctive++
		}
	}
	if distinctive == 0 {
		return false
	}
	// The legal name must add the place it leads with, and nothing but
	// common words besides. Without a place, "Nokia" and "Nokia
	// Technologies", "Vodafone" and "Vodafone Group" are a parent and a
	// company of its group, not one company written two ways.
	place := false
	for _, y := range b {
		switch {
		case slices.Contains(a, y):
		case places[y]:
			place = true
		case groupWords[y] || !generic[y]:
			return false
		}
	}
	return place
}

// bareBrandOf says whether, of two names one of which carried a legal
// form and one not, the bare one's words are all in the legal one, with
// one distinctive word at least, and the legal name adds only common
// words, a place or its own country: "Huawei" and "Huawei Technologies
// Co., Ltd.", "Aselsan" and "ASELSAN Elektronik Sanayi ve Ticaret A.Ş.",
// "Yettel" and "Yettel Bulgaria EAD" in Bulgaria. A bare name is how a
// company is called; a second legal name beside it ("Nokia Oyj" and
// "Nokia Technologies Oy") is a company of its own. A group or a holding
// word added is never common here.
func bareBrandOf(fa, fb form, countryCode string) bool {
	bare, legal := fa.words, fb.words
	if fa.legal {
		bare, legal = legal, bare
	}
	if len(bare) >= len(legal) {
		return false
	}
	distinctive := 0
	for _, x := range bare {
		if !slices.Contains(legal, x) {
			return false
		}
		if !generic[x] {
			distinctive++
		}
	}
	if distinctive == 0 {
		return false
	}
	for i, y := range legal {
		switch {
		case slices.Contains(bare, y), places[y], brandAdds[y]:
		case initials(y, i):
		case countryWords[y] != "" && ownCountryWord(y, countryCode): // a country, not "republic"
		case groupWords[y] || !generic[y]:
			return false
		}
	}
	return true
}

// brandAdds are words a legal name adds to its brand ("Rafael Advanced
// Defense Systems"), common only here: elsewhere they tell two companies
// of a group apart ("Huawei Telecommunications (India)" is not "Huawei
// Technologies India").
var brandAdds = map[string]bool{"advanced": true, "defense": true, "defence": true, "telecommunication": true,
	"telecommunications": true, "infocomm": true, "iot": true, "aerospace": true, "computer": true, "device": true,
	"devices": true, "lab": true, "labs": true, "platforms": true}

// initials says whether the word at position i of a legal name is one or
// two letters that stand for words a brand leaves out: "LM Ericsson",
// "SZ DJI" (Shenzhen). Only first: after the name, two letters name a
// company of the group ("Utimaco TS", "Airbus DS", "Huawei UK").
func initials(w string, i int) bool { return len(w) <= 2 && i == 0 }

// placeAndCommon says whether a name is a place (a country or a Chinese
// province or city) and common words: "China Telecom", "Saudi Telecom".
func placeAndCommon(ts []string) bool {
	for _, t := range ts {
		if _, isCountry := countryWords[t]; !generic[t] && !places[t] && !isCountry {
			return false
		}
	}
	return true
}

// groupWords name a group or a holding: a company's name with one of them
// and without it are two legal entities.
var groupWords = map[string]bool{"group": true, "groups": true, "holding": true, "holdings": true}

// groupWordApart is a group word that one name has and the other lacks,
// or "".
func groupWordApart(a, b []string) string {
	for _, pair := range [][2][]string{{a, b}, {b, a}} {
		for _, w := range pair[0] {
			if groupWords[w] && !slices.Contains(pair[1], w) {
				return w
			}
		}
	}
	return ""
}

// generic are words so common in company and body names that sharing
// them says little; they weigh genericWeight in a name's mean.
var generic = map[string]bool{}

const genericWeight = 0.3

func init() {
	for _, w := range strings.Fields(`and of the for de la le du des der die das y e et
		group groups holding holdings international global technologies technology tech systems system solutions
		networks network communications communication telecom software services service security industries
		industry enterprises enterprise trading research development consulting partners capital management
		ministry department agency office bureau national state federal government general directorate committee
		center centre institute company association republic
		ve sanayi ticaret elektronik iletisim hizmetleri digital electronics electronic information intelligent science sciences`) {
		generic[w] = true
	}
}

func weight(t string) float64 {
	if generic[t] {
		return genericWeight
	}
	return 1
}

// best is the best match of token x among tokens b.
func best(x string, b []string) float64 {
	m := 0.0
	for _, y := range b {
		m = max(m, tokenSimilarity(x, y))
	}
	return m
}

// mongeElkan is the weighted mean, over the tokens of a, of each one's
// best match among the tokens of b.
func mongeElkan(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	sum, total := 0.0, 0.0
	for _, x := range a {
		sum += weight(x) * best(x, b)
		total += weight(x)
	}
	return sum / total
}

// unmatchedDistinctive returns a distinctive (not generic) token of
// either name that the other lacks, a plural or possessive "s" aside; ""
// when there is none.
func unmatchedDistinctive(a, b []string) string {
	for _, pair := range [2][2][]string{{a, b}, {b, a}} {
		for _, x := range pair[0] {
			if generic[x] {
				continue
			}
			found := false
			for _, y := range pair[1] {
				if x == y || x == y+"s" || y == x+"s" {
					found = true
				}
			}
			if !found {
				return x
			}
		}
	}
	return ""
}

// tokenSimilarity is Jaro-Winkler, made stricter for short words, where
// one letter changes the word ("allot", "alloy"), and for numbers, which
// are equal or not.
func tokenSimilarity(x, y string) float64 {
	if x == y {
		return 1
	}
	if isNumber(x) || isNumber(y) {
		return 0
	}
	s := JaroWinkler(x, y)
	if len([]rune(x)) <= 5 || len([]rune(y)) <= 5 {
		s *= 0.85
	}
	return s
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// joinedEqual says whether the words of a and b, each written without
// spaces, are the same string, without writing them.
func joinedEqual(a, b []string) bool {
	i, j, x, y := 0, 0, 0, 0 // word and byte in a, in b
	for {
		for i < len(a) && x == len(a[i]) {
			i, x = i+1, 0
		}
		for j < len(b) && y == len(b[j]) {
			j, y = j+1, 0
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i][x] != b[j][y] {
			return false
		}
		x, y = x+1, y+1
	}
}

// JaroWinkler is the Jaro similarity of two strings with Winkler's bonus
// for a common prefix (up to four runes, scale 0.1).
func JaroWinkler(a, b string) float64 {
	// Normalised words are nearly always short ASCII: compared as bytes,
	// they need no conversion and no allocation.
	if len(a) <= 64 && len(b) <= 64 && ascii(a) && ascii(b) {
		var xa, xb [64]rune
		for i := 0; i < len(a); i++ {
			xa[i] = rune(a[i])
		}
		for i := 0; i < len(b); i++ {
			xb[i] = rune(b[i])
		}
		return jaroWinkler(xa[:len(a)], xb[:len(b)])
	}
	return jaroWinkler([]rune(a), []rune(b))
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func jaroWinkler(ra, rb []rune) float64 {
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	window := max(len(ra), len(rb))/2 - 1
	window = max(window, 0)
	var fa, fb [64]bool
	var ma, mb []bool
	if len(ra) <= 64 && len(rb) <= 64 {
		ma, mb = fa[:len(ra)], fb[:len(rb)]
	} else {
		ma, mb = make([]bool, len(ra)), make([]bool, len(rb))
	}
	matches := 0
	for i := range ra {
		lo, hi := max(0, i-window), min(len(rb), i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && ra[i] == rb[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := range ra {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if ra[i] != rb[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(ra)) + m/float64(len(rb)) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(ra), len(rb)) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
