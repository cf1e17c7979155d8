package personal

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names in running text ("my mother, Jane Smith, …", "I spoke to Amir
// Khan at the home") are found two ways, both needing a given name and a
// capitalised surname after it:
//   - after a word for a relative or carer ("my mother, Jane Smith"):
//     the context says a person follows;
//   - anywhere, when the first word is a common given name in the UK.
//
// Organisations are often named after people ("Florence Nightingale
// Foundation", "Sue Ryder Care"), so a pair followed by a word that names
// an organisation is left alone: the detector should not redact what
// the public may read about who responded.

// givenNames are common given names in the UK (ONS baby names of the
// last seventy years, both sexes, and names common among UK Muslims,
// Hindus and Sikhs), lower case.
var givenNames = setOf(`aaron abdul abigail adam adrian agnes ahmed aisha alan alex alexander alfie alice alison amanda amber amelia amir amy andrea andrew angela ann anna anne annie anthony arthur ava barbara barry ben benjamin beth betty beverley bill brenda brian bridget callum carl carol caroline catherine charles charlie charlotte chloe chris christine christopher claire clare colin connor craig daisy daniel danielle darren david dawn dean deborah debbie denise dennis derek diana diane donald donna doreen dorothy douglas edward eileen elaine eleanor elizabeth ella ellie emily emma eric ethan evelyn fatima fiona florence frances francis frank gail gareth gary gavin geoffrey george georgia gillian gladys gordon grace graham gurpreet hannah harjit harold harriet harry hassan hazel heather helen henry hilary hollie holly ian imran irene isabel isabella isla jack jacob jacqueline james jamie jane janet janice jasmine jason jean jeffrey jennifer jenny jessica jill joan joanne joe john jonathan joseph joshua joyce judith julia julie karen kate katherine kathleen kathryn katie keith kelly kenneth kevin kim kirsty laura lauren lee leo leon lesley leslie lewis liam lily linda lisa lorraine louise lucy luke lynn lynne maisie malcolm margaret maria marie marion mark martin mary matthew maureen megan melanie michael michelle mohamed mohammed mohammad muhammad nadia naomi natalie nathan neil nicholas nicola nigel noah norma norman oliver olivia oscar owen paige pamela patricia paul pauline peter philip phillip poppy priya rachel rajesh ravi raymond rebecca richard rita robert robin roger ronald rose rosemary ruby ruth ryan sally samantha samuel sandra sarah scott sean sharon sheila shirley simon sophie stephen steven stuart susan suzanne sylvia tanya teresa terence theresa thomas tina tom tony tracey tracy trevor valerie vanessa victoria vincent violet wayne wendy william yasmin yvonne zainab zara zoe`)

// kinWords are words after which a name is a person's ("my mother,
// Jane Smith").
var kinWords = setOf(`mother father mum dad mom son daughter husband wife partner brother sister grandmother grandfather grandma grandad granddad nan nana aunt uncle cousin nephew niece carer friend neighbour neighbor fiancé fiance stepmother stepfather stepson stepdaughter`)

// orgWords after a name pair mean it names an organisation or a place.
var orgWords = setOf(`foundation trust care centre center house home homes hospital hospice court lodge hall school college university association society council charity group ltd limited plc llp services service partnership practice surgery clinic institute unit ward medical health nursing residential street road avenue lane close way place park square station gardens green bridge building mews terrace drive crescent line church chapel mosque temple scheme`)

// namedOrgs are organisations named after people, whichever word
// follows them ("Marie Curie nurses").
var namedOrgs = setOf(`marie-curie florence-nightingale sue-ryder helen-bamber`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// detectRunningNames finds names in running text; spans already found
// (sign-offs, titles) win.
func detectRunningNames(text string, spans []Span) []Span {
	prevWord, prevEnd := "", -1
	for i := 0; i < len(text); {
		// Find the next word: a run of letters, apostrophes and hyphens.
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' {
				break
			}
			i += size
		}
		word := text[start:i]
		if first, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(first) && givenNames[strings.ToLower(word)] {
			if sp, ok := runningName(text, start, i, prevWord, prevEnd); ok {
				spans = add(spans, sp)
			}
		}
		prevWord, prevEnd = word, i
	}
	return spans
}

// runningName checks the given name at text[start:end]: a capitalised
// surname must follow, no organisation word after it, and either a kin
// word before it (", " allowed between) or the given name alone.
func runningName(text string, start, end int, prevWord string, prevEnd int) (Span, bool) {
	sStart, sEnd, ok := nextWord(text, end)
	if !ok {
		return Span{}, false
	}
	given, surname := strings.ToLower(text[start:end]), text[sStart:sEnd]
	first, _ := utf8.DecodeRuneInString(surname)
	if !unicode.IsUpper(first) || utf8.RuneCountInString(surname) < 2 || isAllCaps(surname) || notNames[surname] ||
		orgWords[strings.ToLower(surname)] || namedOrgs[given+"-"+strings.ToLower(surname)] {
		return Span{}, false
	}
	if aStart, aEnd, ok := nextWord(text, sEnd); ok && orgWords[strings.ToLower(text[aStart:aEnd])] {
		return Span{}, false
	}
	kin := kinWords[strings.ToLower(prevWord)] && strings.Trim(text[prevEnd:start], ", :") == ""
	// Two given names in a row ("Grace Hope") are a name only where the
	// context says so.
	if givenNames[strings.ToLower(surname)] && !kin {
		return Span{}, false
	}
	if kin {
		return Span{start, sEnd, KindName, 0.8}, true
	}
	return Span{start, sEnd, KindName, 0.6}, true
}

// nextWord finds the word after one space (or ", ") from i: names are
// written with a single space between given name and surname.
func nextWord(text string, i int) (int, int, bool) {
	if i >= len(text) || text[i] != ' ' {
		return 0, 0, false
	}
	i++
	start := i
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' {
			break
		}
		i += size
	}
	return start, i, i > start
}

func isAllCaps(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}
