package webform_test

import (
	"context"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
	"heard/internal/webform"
)

var london, _ = time.LoadLocation("Europe/London")

// openCQC loads the CQC 2021 definition as slug, open from a week ago
// to a month from now.
func openCQC(t *testing.T, pool *pgxpool.Pool, slug string) *consultation.Consultation {
	t.Helper()
	return loadCQC(t, pool, slug, "open", -7, 30)
}

// loadCQC loads the CQC definition as slug with a status and dates
// relative to today in London.
func loadCQC(t *testing.T, pool *pgxpool.Pool, slug, status string, opens, closes int) *consultation.Consultation {
	t.Helper()
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(london)
	def.Slug, def.Status = slug, status
	def.OpensOn, def.ClosesOn = today.AddDate(0, 0, opens).Format(time.DateOnly), today.AddDate(0, 0, closes).Format(time.DateOnly)
	c, err := (&consultation.Service{Pool: pool}).Load(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type fixture struct {
	t    *testing.T
	pool *pgxpool.Pool
	svc  *webform.Service
	slug string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.NewPool(t)
	openCQC(t, pool, "cqc-open")
	return &fixture{t: t, pool: pool, svc: webform.NewService(pool, slog.New(slog.DiscardHandler)), slug: "cqc-open"}
}

func (x *fixture) form() *webform.Form {
	x.t.Helper()
	f, err := x.svc.Form(context.Background(), x.slug)
	if err != nil {
		x.t.Fatal(err)
	}
	return f
}

// fullResponse answers every page of the CQC form.
func fullResponse() url.Values {
	v := url.Values{
		"respondent-type": {"organisation"}, "organisation": {"Carers Together (test)"}, "group": {"public"},
		"q-age-band": {"65-74"}, "q-disability": {"prefer-not-to-say"}, "consent": {"yes"},
	}
	for i, code := range []string{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6"} {
		v.Set("q-"+code+"a", []string{"fully", "mostly", "partially", "not-at-all", "dont-know", "fully"}[i])
		v.Set("q-"+code+"b", "Reason for "+code+".\nSecond line.")
	}
	v.Set("q-Q7", "On the impact assessment.")
	return v
}

// fill saves a whole response in a new draft and returns its token.
func (x *fixture) fill(f *webform.Form, v url.Values) *webform.Saved {
	x.t.Helper()
	s, err := x.svc.Save(context.Background(), f, "", v, false, f.Pages...)
	if err != nil {
		x.t.Fatal(err)
	}
	return s
}

// counts reads the results of the consultation through the one
// aggregation path.
func (x *fixture) counts(f *webform.Form) *results.Table {
	x.t.Helper()
	c, err := (&consultation.Service{Pool: x.pool}).Get(context.Background(), x.slug)
	if err != nil {
		x.t.Fatal(err)
	}
	tab, err := (&results.Service{Pool: x.pool}).Counts(context.Background(), c, results.Filter{})
	if err != nil {
		x.t.Fatal(err)
	}
	return tab
}
