package demo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/events"
	"heard/internal/ingest"
)

// demoEvent is one of the engagement events CQC's summary describes:
// four theme webinars for providers and partners, focus groups with
// people at risk of receiving poor care, and one-to-one interviews. Its
// responses are the next n demo event responses of its group.
type demoEvent struct {
	in        events.Input
	group     string
	responses int
	notes     []events.NoteInput
}

func note(theme string, attendees int, text string) events.NoteInput {
	return events.NoteInput{About: "theme:" + theme, Attendees: strconv.Itoa(attendees), Text: text}
}

func webinar(theme, title, day string, attendees, responses int, said string) demoEvent {
	return demoEvent{
		in: events.Input{Name: "Webinar: " + title, Day: day, Month: "2", Year: "2021", Format: "webinar", Where: "online",
			Attendees: strconv.Itoa(attendees), Facilitator: "CQC engagement team (demo)",
			Reached: "care providers, partner organisations", Groups: []string{"providers", "other"}},
		group: "other", responses: responses,
		notes: []events.NoteInput{note(theme, attendees, said)},
	}
}

var demoEvents = []demoEvent{
	webinar("people-and-communities", "People and communities", "1", 84, 3,
		"Providers welcomed putting people's experiences first. Several asked how feedback from people who do not go online will be heard, and how staff views will be used alongside it."),
	webinar("smarter-regulation", "Smarter regulation", "8", 112, 3,
		"Strong interest in more up-to-date ratings. Many worried about less time on site and asked where the data would come from and how it would be checked."),
	webinar("safety-through-learning", "Safety through learning", "15", 67, 2,
		"Support for a culture of learning rather than blame. Smaller providers asked how learning from incidents would reach them; one attendee noted that safeguarding is not mentioned."),
	webinar("accelerating-improvement", "Accelerating improvement", "22", 73, 2,
		"Partners liked the focus on improvement but asked how CQC will stay independent while helping services improve, and what resources providers would need."),
	{
		in: events.Input{Name: "Focus group: people with a learning disability", Day: "3", Month: "2", Year: "2021", Format: "focus-group",
			Where: "in-person", Place: "Community centre, Leeds (demo)", Attendees: "14", Facilitator: "Learning Disability Voices (demo)",
			Reached: "people with a learning disability, unpaid carers", Groups: []string{"public"}},
		group: "public", responses: 14,
		notes: []events.NoteInput{
			note("people-and-communities", 14, "People want easy-read information and to be asked in person, not only online. Carers said they are often not listened to when they raise concerns."),
			note("tackling-inequalities", 12, "The group said inspectors should talk to people directly and check that reasonable adjustments are made in practice."),
		},
	},
	{
		in: events.Input{Name: "Focus group: people experiencing homelessness", Day: "10", Month: "2", Year: "2021", Format: "focus-group",
			Where: "in-person", Place: "Day centre, Bristol (demo)", Attendees: "12", Facilitator: "CQC engagement team (demo)",
			Reached: "people experiencing homelessness", Groups: []string{"public"}},
		group: "public", responses: 12,
		notes: []events.NoteInput{
			note("tackling-inequalities", 12, "Participants described being turned away from GP registration without an address. They want CQC to look at who cannot get care at all, not only the care given."),
		},
	},
	{
		in: events.Input{Name: "Focus group: older people from ethnic minority communities", Day: "17", Month: "2", Year: "2021", Format: "focus-group",
			Where: "online", Attendees: "16", Facilitator: "Older People's Forum (demo)",
			Reached: "older people, people from ethnic minority communities, people who need an interpreter", Groups: []string{"public"}},
		group: "public", responses: 15,
		notes: []events.NoteInput{
			note("tackling-inequalities", 16, "Language was the main barrier: people want information in their own language and interpreters at inspections. Some did not know they could complain to CQC."),
			note("people-and-communities", 10, "Trusted community groups were seen as the best way for CQC to hear from people who would never fill in a form."),
		},
	},
	{
		in: events.Input{Name: "One-to-one interviews: people at risk of receiving poor care", Day: "24", Month: "2", Year: "2021", Format: "interview",
			Where: "online", Attendees: "14", Facilitator: "CQC engagement team (demo)",
			Reached: "people in mental health services, disabled people, unpaid carers", Groups: []string{"public"}},
		group: "public", responses: 14,
		notes: []events.NoteInput{
			note("tackling-inequalities", 14, "Interviewees described their experiences of care in detail. Common points: being listened to, continuity of staff, and fear of speaking up in case care gets worse."),
		},
	},
}

// storeEvents records the demo's events and notes and links the demo's
// event responses to them, once: a consultation that already has events
// is left alone. Linking moves no count: the responses keep their
// channel, group and answers.
func storeEvents(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, responses []ingest.Response) error {
	svc := &events.Service{Pool: pool}
	have, err := svc.List(ctx, c)
	if err != nil || len(have) > 0 {
		return err
	}
	groupOf := map[int32]string{}
	for _, g := range c.Groups {
		groupOf[g.ID] = g.Slug
	}
	refs := map[string][]string{}
	for _, r := range responses {
		if r.Channel == "event" && r.GroupID != nil {
			g := groupOf[*r.GroupID]
			refs[g] = append(refs[g], r.SourceRef)
		}
	}
	q := db.New(pool)
	var by accounts.Actor // the command line
	for _, de := range demoEvents {
		id, err := svc.Create(ctx, by, c, de.in)
		if err != nil {
			return fmt.Errorf("demo: event %s: %w", de.in.Name, err)
		}
		ev, err := svc.Get(ctx, c, id)
		if err != nil {
			return err
		}
		for _, n := range de.notes {
			if _, err := svc.AddNote(ctx, by, c, ev, n); err != nil {
				return fmt.Errorf("demo: notes of %s: %w", de.in.Name, err)
			}
		}
		take := refs[de.group][:min(de.responses, len(refs[de.group]))]
		refs[de.group] = refs[de.group][len(take):]
		if err := q.DemoLinkEventResponses(ctx, db.DemoLinkEventResponsesParams{EventID: &id, ConsultationID: c.ID, Refs: take}); err != nil {
			return fmt.Errorf("demo: link responses to %s: %w", de.in.Name, err)
		}
	}
	return nil
}
