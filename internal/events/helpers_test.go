package events_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/events"
	"heard/internal/results"
)

// env is a fresh database holding the CQC 2021 definition (no responses)
// and a facilitator to act as.
type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	c    *consultation.Consultation
	svc  *events.Service
	by   accounts.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	u, err := accounts.NewService(pool).Create(context.Background(), accounts.Actor{}, "facilitator@example.org", "correct horse battery staple", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, pool: pool, c: c, svc: &events.Service{Pool: pool}, by: accounts.Actor{User: &u, ClientIP: "192.0.2.1"}}
}

// focusGroup is a valid event form.
func focusGroup(name string, attendees string) events.Input {
	return events.Input{Name: name, Day: "12", Month: "2", Year: "2021", Format: "focus-group", Where: "in-person",
		Place: "Leeds Carers Centre", Attendees: attendees, Facilitator: "Sam Patel", Reached: "unpaid carers, ", Groups: []string{"public"}}
}

// event records an event and returns it.
func (e *env) event(in events.Input) *events.Event {
	e.t.Helper()
	id, err := e.svc.Create(context.Background(), e.by, e.c, in)
	if err != nil {
		e.t.Fatalf("create event: %v", err)
	}
	ev, err := e.svc.Get(context.Background(), e.c, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

// overview is the consultation's totals through the one results path.
func (e *env) overview() results.Overview {
	e.t.Helper()
	tb, err := (&results.Service{Pool: e.pool}).Counts(context.Background(), e.c, results.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return tb.Overview()
}

func byChannel(o results.Overview, ch string) int64 {
	for _, s := range o.ByChannel {
		if s.Slug == ch {
			return s.N
		}
	}
	return -1
}

// audited counts audit entries with action.
func (e *env) audited(action string) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func problems(err error) map[string]string {
	out := map[string]string{}
	if ve, ok := err.(*events.ValidationError); ok {
		for _, p := range ve.Problems {
			out[p.Field] = p.Message
		}
	}
	return out
}
