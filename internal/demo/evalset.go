package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// EvalQuestion is one open question of the evaluation set: its codes
// (the demo codeframe's codes that answers can carry) and answers
// labelled with them, split into training and test answers written from
// disjoint phrasings.
type EvalQuestion struct {
	Question    string
	Codes       []string
	Names       map[string]string
	Train, Test []EvalAnswer
	// Fresh is a second held-out set (EvalSetWithFresh): answers written
	// from a third pair of phrasings of every point (freshPhrasings) and
	// a third list of openers, links and fillers, drawn with a random
	// stream of their own so Train and Test are the same as without it.
	Fresh []EvalAnswer
	// Third is a third held-out set (EvalSetWithThird): answers written
	// from a fourth pair of phrasings of every point (thirdPhrasings)
	// and a fourth list of openers, links and fillers, with a random
	// stream of its own, so Train, Test and Fresh are as without it.
	Third []EvalAnswer
	// Fourth is a fourth held-out set (EvalSetWithFourth): answers
	// written from a fifth pair of phrasings of every point
	// (fourthPhrasings) and a fifth list of openers, links and fillers,
	// with a random stream of its own, so the other sets are as without it.
	Fourth []EvalAnswer
	// OnePhrasing names the codes whose two training phrasings are the
	// same sentence (the first rephrasing repeats the demo's words), with
	// that sentence: holding a phrasing out cannot hide it.
	OnePhrasing map[string]string
}

// EvalAnswer is a labelled answer: its text and the keys of its codes.
type EvalAnswer struct {
	Text  string
	Codes []string
	// Phrasings says, for a training answer, which of its point's two
	// training phrasings each code came from (0: the first rephrasing,
	// 1: the demo's own words), in Codes order; nil for test answers.
	// It lets the evaluation hold one phrasing of every point out of a
	// cross-validation of training answers, as the test set does.
	Phrasings []int
	// Neutral lists, for a training answer, which opener, links and
	// filler it used (indices into their lists, in order), so the
	// evaluation can give each fold its own, as the test answers have.
	Neutral []int
}

// Frames and fillers differ between training and test answers, as the
// points' phrasings do: [0] is for training, [1] for test.
var (
	evalOpeners = [2][]string{
		{"I fully support this.", "I mostly support this.", "I only partly support this.", "I do not support this.", "It is hard to say yet."},
		{"On balance I agree.", "Broadly yes.", "I have mixed feelings.", "I disagree with this proposal.", "I am not sure."},
	}
	evalLinks = [2][]string{
		{"However, ", "My main concern is ", "We would like to see "},
		{"One worry: ", "I would add this. ", "Please note: "},
	}
	evalFillers = [2][]string{
		{"Thank you for the chance to respond.", "I have nothing more to add.", "This is my personal view."},
		{"Good luck with the consultation.", "No further comments.", "These are my own opinions."},
	}
)

// EvalSet builds the labelled set from every open question's demo
// codeframe: per question, train answers from the demo's own phrasing
// of each point and one rephrasing, test answers from two other
// rephrasings (and other openers and fillers). Each answer makes one to
// three points; some make none (no code applies).
func EvalSet(trainPer, testPer int, seed uint64) []EvalQuestion {
	return EvalSetWithFresh(trainPer, testPer, 0, seed)
}

// EvalSetWithFresh is EvalSet with freshPer answers per question in
// Fresh, a second held-out set whose sentences are in neither Train nor
// Test.
func EvalSetWithFresh(trainPer, testPer, freshPer int, seed uint64) []EvalQuestion {
	return EvalSetWithThird(trainPer, testPer, freshPer, 0, seed)
}

// EvalSetWithThird is EvalSetWithFresh with thirdPer answers per
// question in Third, a third held-out set whose sentences are in none
// of Train, Test and Fresh.
func EvalSetWithThird(trainPer, testPer, freshPer, thirdPer int, seed uint64) []EvalQuestion {
	return EvalSetWithFourth(trainPer, testPer, freshPer, thirdPer, 0, seed)
}

// EvalSetWithFourth is EvalSetWithThird with fourthPer answers per
// question in Fourth, a fourth held-out set whose sentences are in none
// of Train, Test, Fresh and Third.
func EvalSetWithFourth(trainPer, testPer, freshPer, thirdPer, fourthPer int, seed uint64) []EvalQuestion {
	themes := []struct{ question, theme string }{
		{"Q1b", "people-and-communities"}, {"Q2b", "smarter-regulation"}, {"Q3b", "safety-through-learning"},
		{"Q4b", "accelerating-improvement"}, {"Q5b", "assessing-systems"}, {"Q6b", "tackling-inequalities"},
		{"Q7", "equality-impact"},
	}
	original := map[string][]string{
		"DETAIL":  closers,
		"GUIDE":   {providerGuidance},
		"INVOLVE": {teamInvolvement},
	}
	overarching := []point{
		{key: "DETAIL", name: "More detail on implementation"},
		{key: "GUIDE", name: "Providers want guidance and time to prepare"},
		{key: "INVOLVE", name: "Staff want to help design the changes"},
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	freshRng := rand.New(rand.NewPCG(seed, 11))
	thirdRng := rand.New(rand.NewPCG(seed, 13))
	fourthRng := rand.New(rand.NewPCG(seed, 17))
	openers := [5][]string{evalOpeners[0], evalOpeners[1], freshOpeners, thirdOpeners, fourthOpeners}
	links := [5][]string{evalLinks[0], evalLinks[1], freshLinks, thirdLinks, fourthLinks}
	fillers := [5][]string{evalFillers[0], evalFillers[1], freshFillers, thirdFillers, fourthFillers}
	var out []EvalQuestion
	for _, th := range themes {
		b := banks[th.theme]
		points := slices.Concat(b.support, b.concern, overarching)
		q := EvalQuestion{Question: th.question, Names: map[string]string{}, OnePhrasing: map[string]string{}}
		for _, p := range points {
			q.Codes = append(q.Codes, p.key)
			q.Names[p.key] = p.name
			if original[p.key] == nil && capitalise(p.text) == rephrasings[p.key][0] {
				q.OnePhrasing[p.key] = rephrasings[p.key][0]
			}
		}
		phrasing := func(rng *rand.Rand, p point, split int) (string, int) {
			switch split {
			case 2:
				return freshPhrasings[p.key][rng.IntN(2)], -1
			case 3:
				return thirdPhrasings[p.key][rng.IntN(2)], -1
			case 4:
				return fourthPhrasings[p.key][rng.IntN(2)], -1
			}
			alt := rephrasings[p.key]
			if split == 1 {
				return alt[1+rng.IntN(2)], -1
			}
			own := original[p.key]
			if own == nil {
				own = []string{p.text}
			}
			if rng.IntN(2) == 0 {
				return alt[0], 0
			}
			return capitalise(own[rng.IntN(len(own))]), 1
		}
		answer := func(rng *rand.Rand, split int) EvalAnswer {
			var a EvalAnswer
			o := rng.IntN(len(openers[split]))
			parts := []string{openers[split][o]}
			neutral := func(i int) {
				if split == 0 {
					a.Neutral = append(a.Neutral, i)
				}
			}
			neutral(o)
			n := rng.IntN(4) // 0: no point at all
			chosen := map[string]bool{}
			for range n {
				p := points[rng.IntN(len(points))]
				if chosen[p.key] {
					continue
				}
				chosen[p.key] = true
				s, which := phrasing(rng, p, split)
				if split == 0 {
					a.Phrasings = append(a.Phrasings, which)
				}
				if strings.HasPrefix(p.key, "C-") && rng.IntN(2) == 0 {
					l := rng.IntN(len(links[split]))
					neutral(l)
					s = links[split][l] + lowerFirst(s)
				}
				parts = append(parts, s)
				a.Codes = append(a.Codes, p.key)
			}
			if n == 0 || rng.IntN(3) == 0 {
				f := rng.IntN(len(fillers[split]))
				neutral(f)
				parts = append(parts, fillers[split][f])
			}
			a.Text = strings.Join(parts, " ")
			return a
		}
		for range trainPer {
			q.Train = append(q.Train, answer(rng, 0))
		}
		for range testPer {
			q.Test = append(q.Test, answer(rng, 1))
		}
		for range freshPer {
			q.Fresh = append(q.Fresh, answer(freshRng, 2))
		}
		for range thirdPer {
			q.Third = append(q.Third, answer(thirdRng, 3))
		}
		for range fourthPer {
			q.Fourth = append(q.Fourth, answer(fourthRng, 4))
		}
		out = append(out, q)
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "I ") || strings.HasPrefix(s, "CQC") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
