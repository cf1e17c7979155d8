package events

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Input is an event as typed into its form.
type Input struct {
	Name             string
	Day, Month, Year string // the date it was held
	Format           string // a Formats slug
	Where            string // "online" or "in-person"
	Place            string
	Attendees        string
	Facilitator      string
	// Reached is a comma-separated list of free tags.
	Reached string
	// Groups are slugs of the consultation's respondent groups.
	Groups []string
}

// InputOf fills a form with a stored event, for editing.
func InputOf(e *Event) Input {
	in := Input{
		Name: e.Name, Format: e.Format, Place: e.Place, Facilitator: e.Facilitator,
		Day: strconv.Itoa(e.HeldOn.Day()), Month: strconv.Itoa(int(e.HeldOn.Month())), Year: strconv.Itoa(e.HeldOn.Year()),
		Attendees: strconv.Itoa(e.Attendees), Reached: strings.Join(e.Reached, ", "), Where: "in-person",
	}
	if e.Online {
		in.Where = "online"
	}
	for _, g := range e.Groups {
		in.Groups = append(in.Groups, g.Slug)
	}
	return in
}

const (
	maxName      = 200
	maxAttendees = 100000
)

// event is a checked Input, ready to store.
type event struct {
	name, format, place, facilitator string
	heldOn                           time.Time
	online                           bool
	attendees                        int32
	reached                          []string
	groupIDs                         []int32
}

// check validates in against c, reporting every problem with the id of
// the input at fault, in the order of the form.
func check(c *consultation.Consultation, in Input) (event, error) {
	var e event
	var p problems
	e.name = strings.TrimSpace(in.Name)
	switch {
	case e.name == "":
		p.add("name", "Enter the name of the event")
	case utf8.RuneCountInString(e.name) > maxName:
		p.add("name", "Name must be 200 characters or fewer")
	}
	e.heldOn = checkDate(&p, in)
	if !slices.ContainsFunc(Formats, func(f Format) bool { return f.Slug == in.Format }) {
		p.add("format", "Select what kind of event it was")
	}
	e.format = in.Format
	e.place = strings.TrimSpace(in.Place)
	switch in.Where {
	case "online":
		e.online, e.place = true, ""
	case "in-person":
		if e.place == "" {
			p.add("place", "Enter where the event was held")
		} else if utf8.RuneCountInString(e.place) > maxName {
			p.add("place", "Place must be 200 characters or fewer")
		}
	default:
		p.add("where", "Select whether the event was online or in person")
	}
	n, err := strconv.Atoi(strings.TrimSpace(in.Attendees))
	switch {
	case strings.TrimSpace(in.Attendees) == "":
		p.add("attendees", "Enter how many people attended")
	case err != nil:
		p.add("attendees", "Number of attendees must be a whole number, like 12")
	case n < 0 || n > maxAttendees:
		p.add("attendees", "Number of attendees must be between 0 and 100,000")
	}
	e.attendees = int32(n)
	e.facilitator = strings.TrimSpace(in.Facilitator)
	if utf8.RuneCountInString(e.facilitator) > maxName {
		p.add("facilitator", "Facilitator must be 200 characters or fewer")
	}
	e.reached = []string{}
	for t := range strings.SplitSeq(in.Reached, ",") {
		if t = strings.Join(strings.Fields(t), " "); t != "" && !slices.Contains(e.reached, t) {
			e.reached = append(e.reached, t)
		}
	}
	if utf8.RuneCountInString(strings.Join(e.reached, ", ")) > 1000 {
		p.add("reached", "Other groups reached must be 1,000 characters or fewer")
	}
	e.groupIDs = []int32{}
	for _, slug := range in.Groups {
		g := c.Group(slug)
		if g == nil {
			p.add("groups", "Select respondent groups from the list")
			break
		}
		if !slices.Contains(e.groupIDs, g.ID) {
			e.groupIDs = append(e.groupIDs, g.ID)
		}
	}
	return e, p.err()
}

// checkDate reads the day, month and year the GOV.UK way: one message for
// the whole date, linked to its first input.
func checkDate(p *problems, in Input) time.Time {
	d, m, y := strings.TrimSpace(in.Day), strings.TrimSpace(in.Month), strings.TrimSpace(in.Year)
	if d == "" && m == "" && y == "" {
		p.add("held-on-day", "Enter the date the event was held")
		return time.Time{}
	}
	day, errD := strconv.Atoi(d)
	month, errM := strconv.Atoi(m)
	year, errY := strconv.Atoi(y)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if errD != nil || errM != nil || errY != nil || t.Day() != day || int(t.Month()) != month || year < 1900 || year > 2200 {
		p.add("held-on-day", "Date the event was held must be a real date, like 27 3 2021")
		return time.Time{}
	}
	return t
}

func fromRow(c *consultation.Consultation, r db.Event, groups []int32, responses, notes int64) *Event {
	e := &Event{
		ID: r.ID, Name: r.Name, HeldOn: r.HeldOn, Format: r.Format, Online: r.Online, Place: r.Place,
		Attendees: int(r.Attendees), Facilitator: r.Facilitator, Reached: r.Reached, Responses: responses, Notes: notes,
	}
	for _, g := range c.Groups {
		if slices.Contains(groups, g.ID) {
			e.Groups = append(e.Groups, g)
		}
	}
	return e
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
