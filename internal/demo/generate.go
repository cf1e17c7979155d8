package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"heard/internal/consultation"
	"heard/internal/ingest"
)

// seed fixes the generator: change it and every demo response changes.
const seed = 2021

var channelOrder = []string{"webform", "email", "letter", "event"}

type respondent struct {
	group, channel string
	answers        []ingest.Answer
	stance         map[string]string // theme slug -> option slug of its closed answer
}

// Responses builds the 790 demo responses for c, which must be the
// consultation loaded from the CQC 2021 definition.
func Responses(c *consultation.Consultation) ([]ingest.Response, error) {
	rng := rand.New(rand.NewPCG(seed, seed))

	var people []*respondent
	for _, g := range c.Groups {
		for _, ch := range channelOrder {
			for range GroupChannel[g.Slug][ch] {
				people = append(people, &respondent{group: g.Slug, channel: ch, stance: map[string]string{}})
			}
		}
	}
	if len(people) != Total {
		return nil, fmt.Errorf("demo: %d respondents by group and channel, want %d", len(people), Total)
	}
	rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })

	// Closed answers came through the webform and from event responses
	// entered by staff (domain.md).
	var eligible []int
	for i, p := range people {
		if p.channel == "webform" || p.channel == "event" {
			eligible = append(eligible, i)
		}
	}
	for _, q := range c.Questions {
		if q.Kind != "closed" {
			continue
		}
		fig, ok := ClosedFigures[q.Code]
		if !ok {
			return nil, fmt.Errorf("demo: no published figures for %s", q.Code)
		}
		opts, err := optionBag(q, fig)
		if err != nil {
			return nil, err
		}
		rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
		who := slices.Clone(eligible)
		rng.Shuffle(len(who), func(i, j int) { who[i], who[j] = who[j], who[i] })
		for k, o := range opts {
			p := people[who[k]]
			p.answers = append(p.answers, ingest.Answer{QuestionID: q.ID, OptionID: &o.ID})
			if q.Theme != nil {
				p.stance[q.Theme.Slug] = o.Slug
			}
		}
	}

	// Open answers come from every channel. Letters and emails go first
	// for the first open question so that none of them is empty.
	firstOpen := true
	for _, q := range c.Questions {
		if q.Kind != "open" {
			continue
		}
		n, ok := OpenFigures[q.Code]
		if !ok {
			return nil, fmt.Errorf("demo: no published figures for %s", q.Code)
		}
		who := make([]int, len(people))
		for i := range who {
			who[i] = i
		}
		rng.Shuffle(len(who), func(i, j int) { who[i], who[j] = who[j], who[i] })
		if firstOpen {
			slices.SortStableFunc(who, func(a, b int) int { return lettersFirst(people[a]) - lettersFirst(people[b]) })
			firstOpen = false
		}
		for _, i := range who[:n] {
			p := people[i]
			theme := ""
			if q.Theme != nil {
				theme = q.Theme.Slug
			}
			text := openText(rng, theme, p.stance[theme], p.group)
			p.answers = append(p.answers, ingest.Answer{QuestionID: q.ID, Text: &text})
		}
	}

	groupID := map[string]*int32{}
	for _, g := range c.Groups {
		groupID[g.Slug] = &g.ID
	}
	start := c.OpensOn
	span := c.ClosesOn.Add(24*time.Hour - time.Minute).Sub(start)
	out := make([]ingest.Response, len(people))
	for i, p := range people {
		onBehalf, org := organisation(rng, p.group, i)
		out[i] = ingest.Response{
			SourceRef:     sourceRef(p.channel, i),
			Channel:       p.channel,
			GroupID:       groupID[p.group],
			OnBehalfOfOrg: onBehalf,
			Organisation:  org,
			ReceivedAt:    start.Add(span * time.Duration(i) / Total).Add(time.Duration(rng.IntN(3600)) * time.Second).UTC(),
			Answers:       p.answers,
		}
	}
	return out, nil
}

// sourceRef is a demo response's reference. A webform response's is in
// the form's own reference format (DEMO-0001), because its publication
// consent is found by that reference (see consent in demo.go).
func sourceRef(channel string, i int) string {
	if channel == "webform" {
		return fmt.Sprintf("DEMO-%04d", i+1)
	}
	return fmt.Sprintf("demo-%04d", i+1)
}

func lettersFirst(p *respondent) int {
	if p.channel == "email" || p.channel == "letter" {
		return 0
	}
	return 1
}

// optionBag returns one option per answer, in exactly the published
// proportions: fully and mostly split 55:45 within "fully or mostly".
func optionBag(q *consultation.Question, f Closed) ([]*consultation.Option, error) {
	bySlug := map[string]*consultation.Option{}
	for _, o := range q.Scale.Options {
		bySlug[o.Slug] = o
	}
	fully := f.FullyOrMostly * 55 / 100
	counts := []struct {
		slug string
		n    int
	}{
		{"fully", fully},
		{"mostly", f.FullyOrMostly - fully},
		{"partially", f.Answered - f.FullyOrMostly - f.NotAtAll - f.DontKnow},
		{"not-at-all", f.NotAtAll},
		{"dont-know", f.DontKnow},
	}
	var bag []*consultation.Option
	for _, c := range counts {
		o, ok := bySlug[c.slug]
		if !ok || c.n < 0 {
			return nil, fmt.Errorf("demo: %s: cannot place %d answers on option %q", q.Code, c.n, c.slug)
		}
		for range c.n {
			bag = append(bag, o)
		}
	}
	return bag, nil
}

func organisation(rng *rand.Rand, group string, i int) (bool, string) {
	pick := func(names []string) string { return names[rng.IntN(len(names))] }
	switch group {
	case "providers":
		if rng.IntN(100) < 75 {
			return true, pick(providerOrgs)
		}
	case "cqc-teams":
		return true, fmt.Sprintf("CQC %s team %d (demo)", pick(cqcTeams), 1+i%9)
	case "other":
		if rng.IntN(100) < 60 {
			return true, pick(otherOrgs)
		}
	case "public":
		if rng.IntN(100) < 15 {
			return true, pick(charities)
		}
	}
	return false, ""
}

var (
	providerOrgs = []string{"Northfield Care Group (demo)", "Riverside Home Care Ltd (demo)", "Elm Tree GP Partnership (demo)",
		"Westshire NHS Foundation Trust (demo)", "Harbour Dental Practice (demo)", "Oakwood Supported Living (demo)",
		"Eastvale Clinical Commissioning Group (demo)", "Meadow View Nursing Home (demo)"}
	cqcTeams  = []string{"adult social care inspection", "hospitals inspection", "primary medical services", "registration", "intelligence"}
	otherOrgs = []string{"Royal College of Example Practitioners (demo)", "Shire County Council (demo)", "Institute for Care Research (demo)", "Local Healthwatch Example (demo)"}
	charities = []string{"Carers Together (demo)", "Learning Disability Voices (demo)", "Older People's Forum (demo)", "Mind the Gap Mental Health (demo)"}
)

// openText writes a short answer from the points CQC's summary reports
// for the theme, leaning the way the respondent answered the closed
// question it explains. Every bank has three points of support and
// three of concern: the generator draws from them in a fixed pattern,
// so changing a phrase never changes which respondent answers what.
func openText(rng *rand.Rand, theme, stance, group string) string {
	b := banks[theme]
	if b.support == nil {
		b = banks[""]
	}
	pick := func(s []point) string { return s[rng.IntN(len(s))].text }
	var parts []string
	switch stance {
	case "fully":
		parts = []string{"I fully support this.", pick(b.support), pick(b.support)}
	case "mostly":
		parts = []string{"I mostly support this.", pick(b.support), "However, " + pick(b.concern)}
	case "partially":
		parts = []string{"I only partly support this.", pick(b.support), "My main concern is " + pick(b.concern)}
	case "not-at-all":
		parts = []string{"I do not support this.", "My concern is " + pick(b.concern), closers[rng.IntN(len(closers))]}
	case "dont-know":
		parts = []string{"It is hard to say yet.", "I would want to know more about " + pick(b.concern)}
	default:
		parts = []string{pick(b.support), "We would like to see " + pick(b.concern)}
	}
	if group == "providers" && rng.IntN(3) == 0 {
		parts = append(parts, providerGuidance)
	}
	if group == "cqc-teams" && rng.IntN(3) == 0 {
		parts = append(parts, teamInvolvement)
	}
	return strings.Join(parts, " ")
}

// Sentences some groups add, each with its own demo code.
const (
	providerGuidance = "As a provider, we would welcome clear guidance and time to prepare."
	teamInvolvement  = "Our team discussed this and colleagues want to be involved in designing the changes."
)

// closers end an answer that does not support the theme at all: the
// summary's overarching call for more detail on implementation.
var closers = []string{
	"The strategy does not yet say how this will work in practice.",
	"I would like to see this tested before it is rolled out.",
	"Without more detail on how it will be done it is hard to support.",
}

// point is one point CQC's summary reports for a theme: the demo code it
// becomes (key and name) and how a respondent puts it. Concerns read on
// from "My concern is", "However," or "We would like to see".
type point struct{ key, name, text string }

type bank struct{ support, concern []point }

var banks = map[string]bank{
	"people-and-communities": {
		support: []point{
			{"S-GEN", "General support for people's experiences at the centre", "I agree with the sentiment: what people experience should decide how care is judged, not the decor."},
			{"S-AWARE", "Raising public awareness of CQC", "Many people misunderstand what CQC does, so raising public awareness of your role is overdue."},
			{"S-JOURNEY", "Feedback on the whole journey through care", "Hearing about the whole journey through care, including how services hand people on to each other, would show where problems keep recurring."},
		},
		concern: []point{
			{"C-STAFF", "Use the views of staff too", "that the views of people who work in health and care are used as well, because staff see things others do not."},
			{"C-DIGITAL", "Digital exclusion", "how you will hear from people who are not online: many older and disabled people would be left out of digital feedback."},
			{"C-POSITIVE", "Collect positive feedback, not only complaints", "that good and neutral experiences are asked for too, not only complaints."},
		},
	},
	"smarter-regulation": {
		support: []point{
			{"S-RATINGS", "Up-to-date ratings", "Keeping ratings up to date would let good services show they have improved instead of waiting years for an inspection."},
			{"S-CHOICE", "Ratings that help people choose care", "Current ratings and a fuller view of quality would help families choose a care home."},
			{"S-TECH", "Better use of technology for data collection", "Better use of technology should make collecting information quicker and less of a burden."},
		},
		concern: []point{
			{"C-ONSITE", "Less time on site", "the risk of missing poor care if inspectors spend less time on site, especially in learning disability and autism services."},
			{"C-DATA", "Assurance on how data is sourced", "more assurance on where your data comes from and how you will check it is accurate."},
			{"C-RATINGCHANGE", "How data will change a rating", "clarity on how data and information will be used to change a rating, and a chance for providers to give context."},
		},
	},
	"safety-through-learning": {
		support: []point{
			{"S-LEARN", "Learning from safety incidents", "Learning from incidents to stop the same mistakes happening again is exactly right."},
			{"S-DEFINE", "A consistent definition of safety", "Agreeing one definition of safety across health and social care would help everyone."},
			{"S-CULTURE", "Strong safety cultures", "A strong, open safety culture matters more than any checklist."},
		},
		concern: []point{
			{"C-DETAIL", "Lack of detail on regulating safety", "how the safety proposals will actually be put into practice, as there is little detail yet."},
			{"C-ACCESS", "CQC accessible to staff with concerns", "that staff can reach CQC easily when they have a concern and their provider is not acting."},
			{"C-SAFEGUARD", "No mention of safeguarding", "a clear mention of safeguarding, which the strategy leaves out."},
		},
	},
	"accelerating-improvement": {
		support: []point{
			{"S-IMPROVE", "Continuous improvement and good practice", "Encouraging continuous improvement and sharing good practice will help services get better."},
			{"S-COLLAB", "A more collaborative relationship with providers", "A more collaborative relationship between CQC and providers has long been missing."},
			{"S-INNOVATE", "Encouraging innovation", "Supporting innovation is welcome, as long as it is safe."},
		},
		concern: []point{
			{"C-RESEARCH", "Stronger commitment to research", "a stronger commitment to supporting research that drives improvement."},
			{"C-ROLE", "CQC's role compared with NHS England and Improvement", "clarity on CQC's role compared with NHS England and Improvement, so effort is not duplicated."},
			{"C-RESOURCE", "Resources to improve", "recognition that services cannot improve without the resources to do it."},
		},
	},
	"assessing-systems": {
		support: []point{
			{"S-SYSTEM", "Collaboration and system working", "Collaboration and system working are central to better and safer care."},
			{"S-TRANSITION", "Smoother moves between services", "People rarely use only one service, so looking at how they move between providers makes sense."},
			{"S-GAPS", "Finding gaps in joined-up care", "Oversight of local systems should show the gaps in joined-up working."},
		},
		concern: []point{
			{"C-POWERS", "Legal powers to assess systems", "whether CQC will have the legal powers to act on failings beyond individual providers."},
			{"C-COMMISSION", "The role of commissioners", "more clarity on the role of commissioners and local authorities, and how CQC will work with them."},
			{"C-FINANCE", "Financial constraints on system working", "whether CQC will draw the link between funding and the quality of care a system can give."},
		},
	},
	"tackling-inequalities": {
		support: []point{
			{"S-PRIORITY", "An important focus after the pandemic", "This is a very important focus, especially after the way the pandemic hit some groups."},
			{"S-MONITOR", "Proactive monitoring to detect inequality", "Continuous, proactive monitoring should help CQC spot inequality in how services treat people."},
			{"S-DIVERSE", "Engaging people from diverse backgrounds", "Talking to people from diverse backgrounds who use services is the only way to find out what they face."},
		},
		concern: []point{
			{"C-WIDER", "CQC cannot influence the wider causes of inequality", "how CQC could influence the wider causes of inequality, such as poverty and housing, which lie outside care."},
			{"C-PLAN", "No clear plan for CQC's role", "a clear plan of what CQC itself will do, and how progress will be measured."},
			{"C-INVEST", "Services would need investment", "recognition that services would need money to tackle inequalities properly."},
		},
	},
	"equality-impact": {
		support: []point{
			{"S-EQUALITY", "Focus on equality and human rights", "The focus on equality and human rights is welcome."},
			{"S-REDUCE", "Will help reduce inequalities", "It should help reduce inequalities in care."},
			{"S-MINORITY", "Opportunities for under-represented groups", "The opportunities identified are good news for minority groups who are often under-represented."},
		},
		concern: []point{
			{"C-STEPS", "Lacks practical steps", "more detail on the practical steps CQC will take as a result of the assessment."},
			{"C-EXCLUDED", "Risks for digitally excluded people", "how the risks for people who are digitally excluded will be reduced."},
			{"C-UPDATE", "Keeping the assessment up to date", "how the assessment will be kept up to date as the work goes on."},
		},
	},
	"": {
		support: []point{{"S-GEN", "General support", "The overall direction is sensible."}},
		concern: []point{{"C-DETAIL", "More detail on delivery", "more detail on how this will be delivered."}},
	},
}
