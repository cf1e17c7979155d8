package autocode

// moreSynonyms extends the thesaurus (FeatureThesaurus): groups of
// general words about health and care services that respondents use for
// the same thing, written after reading which reworded points the
// development set (the second held-out CQC set) missed. Every word in it
// is a word of the training answers, the codeframes' names or the
// development set — never one found only in the third held-out set
// (TestThesaurusWordsAreFromTrainingOrDevelopment checks) — so the third
// set can only measure it, not have shaped it. Three words change
// group: "transition" (a move between services, not a change of
// policy), "collaborate" (working with someone, not being consulted) and
// "disadvantage" (being left out, beside "excluded").
const moreSynonyms = `
change reform alter modify shift transform overhaul
involve involvement engage engagement participate participation consult consultation codesign coproduce coproduction
partner partnership together joint jointly cooperate cooperation collaborate collaboration collaborative alongside
awareness aware publicise profile
journey handover transition discharge
staff workforce employee personnel worker colleague nurse frontline
good great excellent positive welcome pleased sensible praise
deliver implement implementation practice practical
design shape develop
choose pick
refresh current revisit
trust confidence faith credible credibility reliable reliability accurate
safeguard safeguarding protect protecting abuse neglect vulnerable
definition define meaning mean
research academic study studies
innovate innovation innovative idea
commissioner commissioning council authority
legal legally legislation
money funding fund budget finance financial resource cost expense afford spending cash underfunding
gap gaps missing
pandemic covid
ethnic ethnicity race racial minority diverse diversity background
exclude excluded exclusion disadvantage disadvantaged
step action concrete
`

// thesaurusGroups maps a stem to its group under FeatureThesaurus: the
// groups above first, then the base thesaurus's for other words.
var thesaurusGroups = groupsOf(moreSynonyms, synonyms)
