package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
)

// Create records a new event of c and returns its id.
func (s *Service) Create(ctx context.Context, a accounts.Actor, c *consultation.Consultation, in Input) (int64, error) {
	e, err := check(c, in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		p := db.CreateEventParams{
			ConsultationID: c.ID, Name: e.name, HeldOn: e.heldOn, Format: e.format, Online: e.online, Place: e.place,
			Attendees: e.attendees, Facilitator: e.facilitator, Reached: e.reached,
		}
		if a.User != nil {
			p.CreatedBy = &a.User.ID
		}
		if id, err = q.CreateEvent(ctx, p); err != nil {
			return fmt.Errorf("events: create %q: %w", e.name, err)
		}
		if err := setGroups(ctx, q, id, e.groupIDs); err != nil {
			return err
		}
		return audit.Record(ctx, q, withDetail(entry(a, c, ActionEventCreated, "event", id), e))
	})
	return id, err
}

// Update changes event id of c.
func (s *Service) Update(ctx context.Context, a accounts.Actor, c *consultation.Consultation, id int64, in Input) error {
	e, err := check(c, in)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		n, err := q.UpdateEvent(ctx, db.UpdateEventParams{
			ConsultationID: c.ID, ID: id, Name: e.name, HeldOn: e.heldOn, Format: e.format, Online: e.online,
			Place: e.place, Attendees: e.attendees, Facilitator: e.facilitator, Reached: e.reached,
		})
		if err != nil {
			return fmt.Errorf("events: update %d: %w", id, err)
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := setGroups(ctx, q, id, e.groupIDs); err != nil {
			return err
		}
		return audit.Record(ctx, q, withDetail(entry(a, c, ActionEventChanged, "event", id), e))
	})
}

func withDetail(en audit.Entry, e event) audit.Entry {
	en.Detail = map[string]any{"name": e.name, "held_on": e.heldOn.Format("2006-01-02"), "format": e.format, "attendees": e.attendees}
	return en
}

func setGroups(ctx context.Context, q *db.Queries, id int64, groups []int32) error {
	if err := q.DeleteEventGroups(ctx, id); err != nil {
		return fmt.Errorf("events: clear groups of %d: %w", id, err)
	}
	if err := q.AddEventGroups(ctx, db.AddEventGroupsParams{EventID: id, GroupIds: groups}); err != nil {
		return fmt.Errorf("events: set groups of %d: %w", id, err)
	}
	return nil
}

// Get returns event id of c with its own figures.
func (s *Service) Get(ctx context.Context, c *consultation.Consultation, id int64) (*Event, error) {
	q := db.New(s.Pool)
	r, err := q.GetEvent(ctx, db.GetEventParams{ConsultationID: c.ID, ID: id})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("events: get %d: %w", id, err)
	}
	links, err := q.EventGroups(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("events: groups of %d: %w", id, err)
	}
	var groups []int32
	for _, l := range links {
		groups = append(groups, l.RespondentGroupID)
	}
	ev := db.Event{ConsultationID: r.ConsultationID, ID: r.ID, Name: r.Name, HeldOn: r.HeldOn, Format: r.Format,
		Online: r.Online, Place: r.Place, Attendees: r.Attendees, Facilitator: r.Facilitator, Reached: r.Reached}
	return fromRow(c, ev, groups, r.Responses, r.Notes), nil
}

// List returns c's events, latest first, with their own figures.
func (s *Service) List(ctx context.Context, c *consultation.Consultation) ([]*Event, error) {
	q := db.New(s.Pool)
	rows, err := q.ListEvents(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("events: list for %s: %w", c.Slug, err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	links, err := q.EventGroups(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("events: groups for %s: %w", c.Slug, err)
	}
	groups := map[int64][]int32{}
	for _, l := range links {
		groups[l.EventID] = append(groups[l.EventID], l.RespondentGroupID)
	}
	out := make([]*Event, len(rows))
	for i, r := range rows {
		ev := db.Event{ConsultationID: r.ConsultationID, ID: r.ID, Name: r.Name, HeldOn: r.HeldOn, Format: r.Format,
			Online: r.Online, Place: r.Place, Attendees: r.Attendees, Facilitator: r.Facilitator, Reached: r.Reached}
		out[i] = fromRow(c, ev, groups[r.ID], r.Responses, r.Notes)
	}
	return out, nil
}

// Delete removes an event nothing was taken at, with its notes. An event
// with responses stays: they would lose their link.
func (s *Service) Delete(ctx context.Context, a accounts.Actor, c *consultation.Consultation, id int64) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		ev, err := q.GetEvent(ctx, db.GetEventParams{ConsultationID: c.ID, ID: id})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("events: get %d: %w", id, err)
		}
		n, err := q.DeleteEmptyEvent(ctx, db.DeleteEmptyEventParams{ConsultationID: c.ID, ID: id})
		if err != nil {
			return fmt.Errorf("events: delete %d: %w", id, err)
		}
		if n == 0 {
			return ErrHasResponses
		}
		en := entry(a, c, ActionEventDeleted, "event", id)
		en.Detail = map[string]any{"name": ev.Name, "held_on": ev.HeldOn.Format("2006-01-02")}
		return audit.Record(ctx, q, en)
	})
}
