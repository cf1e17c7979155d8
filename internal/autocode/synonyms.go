package autocode

import (
	"strings"

	"github.com/kljensen/snowball/english"

	"heard/internal/results"
)

// synonyms is a small, general thesaurus of the words people use about
// public services, written by hand (not drawn from any consultation's
// answers): each line is one group of words that usually mean the same
// thing in an answer. Words of a group share a feature, so an answer
// saying "workforce" can carry a code learnt from answers saying
// "staff". A word belongs to the first group that names it.
const synonyms = `
staff workforce employee personnel worker colleague
worry concern fear anxiety anxious apprehensive uneasy nervous
money funding fund budget finance financial resource cost expense afford spending cash
time timescale timeline timetable deadline schedule
help support assist assistance aid
guidance advice instruction direction steer guide manual
detail specifics specific particulars precise clarity clarify explanation explain elaborate
plan proposal strategy scheme approach roadmap
change reform alter modify shift transform transition overhaul
improve improvement better enhance strengthen progress advance
patient resident client user
people public citizen person individual
family relative relation carer caregiver parent
doctor gp clinician physician medic
inspect inspection inspector visit audit check
assess assessment evaluate evaluation appraise judge judgement rating rate
regulate regulation regulator oversight supervision supervise enforcement enforce
safe safety secure harm risk danger hazard unsafe
learn learning lesson training train educate education teach
fair equality equity inequality equal unequal equitable discrimination disadvantage unfair injustice justice
listen hear voice feedback opinion view input say
involve involvement engage engagement participate participation consult consultation collaborate collaboration codesign coproduce coproduction
complaint complain grievance
quick fast rapid prompt swift speed timely soon sooner faster quickly promptly
slow delay late wait waiting backlog lag
data information evidence statistic figure intelligence insight
technology digital online internet website app electronic computer software portal
simple easy straightforward plain understandable accessible
complex complicated confusing difficult hard burden bureaucracy bureaucratic paperwork administrative
provider organisation operator business company firm
local area region regional neighbourhood locality community
partner partnership together joint jointly cooperate cooperation
leader leadership manager management board director executive
trust confidence faith credible credibility reliable
open transparent transparency honest honesty openness candour accountable accountability
good great excellent positive welcome pleased sensible
bad poor negative wrong terrible awful inadequate failing
need require requirement necessary essential must
prepare preparation ready readiness adapt adjust
ethnic ethnicity race racial minority
elderly older aged pensioner
child children young youth teenager
mental psychological wellbeing emotional
capacity pressure workload stretched overwhelmed shortage understaffed busy overstretched
report publish publication
measure metric indicator outcome target benchmark
culture ethos attitude behaviour
blame punish punitive sanction penalty
share sharing spread disseminate communicate communication inform tell
unclear vague ambiguous uncertain uncertainty unsure
disability disabled impairment
rural remote isolated
cheap affordable inexpensive
expensive costly pricey
`

// synonymGroups maps a word's stem to its group's feature ("~" and the
// group's first word).
var synonymGroups = groupsOf(synonyms)

// groupsOf maps each word's stem to its group's feature ("~" and the
// group's first word), one group a line; where texts share a word, the
// first text's group wins.
func groupsOf(texts ...string) map[string]string {
	out := map[string]string{}
	for _, text := range texts {
		for _, line := range strings.Split(text, "\n") {
			words := strings.Fields(line)
			if len(words) < 2 {
				continue
			}
			group := "~" + words[0]
			for _, w := range words {
				stem := english.Stem(results.SpellingKey(w), true)
				if _, taken := out[stem]; !taken {
					out[stem] = group
				}
			}
		}
	}
	return out
}
