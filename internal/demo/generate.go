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
			SourceRef:     fmt.Sprintf("demo-%04d", i+1),
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

// openText writes a plainly synthetic but plausible answer from the
// theme's points of support and concern, leaning the way the respondent
// answered the closed question it explains.
func openText(rng *rand.Rand, theme, stance, group string) string {
	b := banks[theme]
	if b.support == nil {
		b = banks[""]
	}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var parts []string
	switch stance {
	case "fully":
		parts = []string{"I fully support this.", pick(b.support), pick(b.support)}
	case "mostly":
		parts = []string{"I mostly support this.", pick(b.support), "However, " + pick(b.concern)}
	case "partially":
		parts = []string{"I only partly support this.", pick(b.support), "My main concern is " + pick(b.concern)}
	case "not-at-all":
		parts = []string{"I do not support this.", "My concern is " + pick(b.concern), pick(closers)}
	case "dont-know":
		parts = []string{"It is hard to say yet.", "I would want to know more about " + pick(b.concern)}
	default:
		parts = []string{pick(b.support), "We would like to see " + pick(b.concern)}
	}
	if group == "providers" && rng.IntN(3) == 0 {
		parts = append(parts, "As a provider, we would welcome clear guidance and time to prepare.")
	}
	if group == "cqc-teams" && rng.IntN(3) == 0 {
		parts = append(parts, "Our team discussed this and colleagues want to be involved in designing the changes.")
	}
	return strings.Join(parts, " ")
}

var closers = []string{
	"The strategy does not yet say how this will work in practice.",
	"I would like to see this tested before it is rolled out.",
	"Without more detail it is hard to support.",
}

type bank struct{ support, concern []string }

var banks = map[string]bank{
	"people-and-communities": {
		support: []string{"Putting people's experiences at the centre of regulation is the right thing to do.", "Listening to people who use services and acting on what they say matters.", "Making it easier to give feedback will help people speak up."},
		concern: []string{"the need to use the views and experiences of staff as well as people using services.", "how you will hear from people who do not use digital channels.", "how feedback will be checked before it affects a rating."},
	},
	"smarter-regulation": {
		support: []string{"More timely use of data should help you act earlier.", "Ratings that are updated more often would be more useful to the public.", "A more flexible approach to inspection makes sense."},
		concern: []string{"a potential reduction in time spent on site.", "more assurances needed on how data is sourced.", "the burden of data requests on small providers."},
	},
	"safety-through-learning": {
		support: []string{"A culture of learning rather than blame will improve safety.", "Sharing learning from incidents across services is welcome.", "Focusing on safety culture is important."},
		concern: []string{"lack of mention of safeguarding.", "how learning will be shared with smaller providers.", "whether staff will feel safe to report concerns."},
	},
	"accelerating-improvement": {
		support: []string{"Helping services improve, not only judging them, is welcome.", "Encouraging collaboration between services will drive improvement.", "Sharing good practice helps everyone."},
		concern: []string{"the resources providers will need to improve.", "how CQC will stay independent while supporting improvement.", "clarity about CQC's role compared with other bodies."},
	},
	"assessing-systems": {
		support: []string{"Looking at how services work together reflects how people experience care.", "Assessing local systems should show where the gaps are.", "A system-level view is overdue."},
		concern: []string{"who is accountable when a system is rated poorly.", "how system assessment relates to the ratings of individual services.", "the legal powers needed to assess systems."},
	},
	"tackling-inequalities": {
		support: []string{"A focus on inequalities in access and outcomes is welcome.", "Seldom-heard groups need to be part of regulation.", "Using equality data will show where care falls short."},
		concern: []string{"how progress on inequalities will be measured.", "whether the ambition is backed by action in inspections.", "how you will involve people with protected characteristics."},
	},
	"equality-impact": {
		support: []string{"The focus on equality and human rights is welcome.", "The opportunities identified could help under-represented groups.", "It is good to see human rights given prominence."},
		concern: []string{"more detail about the practical steps you will take.", "how risks to digitally excluded people will be mitigated.", "how the assessment will be kept up to date."},
	},
	"": {
		support: []string{"The overall direction is sensible."},
		concern: []string{"more detail on how this will be delivered."},
	},
}
