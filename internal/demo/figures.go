package demo

// The published figures the demo reproduces (CQC, "Responding to our
// consultation: our new strategy from 2021", shared/seeds/000...).

// Total is the number of responses.
const Total = 790

// GroupChannel is how many responses each respondent group sent through
// each channel. The report gives only the row and column totals (groups:
// 213, 398, 65, 114; channels: webform 611, letter or email 114, events
// 65); the split inside, and email 80 / letter 34, are the demo's own.
var GroupChannel = map[string]map[string]int{
	"public":    {"webform": 120, "email": 20, "letter": 18, "event": 55},
	"providers": {"webform": 360, "email": 30, "letter": 8},
	"cqc-teams": {"webform": 60, "email": 5},
	"other":     {"webform": 71, "email": 25, "letter": 8, "event": 10},
}

// Closed is the published figure for one closed question: how many
// answered, how many fully or mostly, not at all, and don't know. Only
// Q6a's don't-know is published; the others are the demo's own.
type Closed struct {
	Answered, FullyOrMostly, NotAtAll, DontKnow int
}

// ClosedFigures holds every closed question's published figures.
var ClosedFigures = map[string]Closed{
	"Q1a": {618, 496, 21, 15},
	"Q2a": {608, 471, 30, 18},
	"Q3a": {610, 508, 23, 12},
	"Q4a": {603, 473, 28, 16},
	"Q5a": {608, 500, 34, 20},
	"Q6a": {606, 306, 65, 61},
}

// OpenFigures is how many answered each open question, all channels.
var OpenFigures = map[string]int{
	"Q1b": 653, "Q2b": 627, "Q3b": 586, "Q4b": 548, "Q5b": 499, "Q6b": 577, "Q7": 381,
}
