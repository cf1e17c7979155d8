package results_test

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
	"heard/internal/results"
)

// The lists that find their responses through response_facts' keys
// (migrations/000034: organisation, events, closed answers, dates, alone
// or with groups, channels and coding filters) must list exactly the
// answers a recount of the base tables lists, after every kind of change
// a response goes through: coding, merged repeats and unmerging, a
// letter's sender corrected, closed answers changed, received date and
// event changed, erasure of text, withdrawal, deletion and a late
// import. The keys are an index over response_facts, which its triggers
// keep; with one of them disabled this test fails (a stale row is found,
// or a changed one is missed).
func TestFactKeyListsStayExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	q1b := c.Question("Q1b")
	option := func(code, slug string) int32 {
		for _, o := range c.Question(code).Scale.Options {
			if o.Slug == slug {
				return o.ID
			}
		}
		t.Fatalf("no option %s:%s", code, slug)
		return 0
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var event, code int64
	if err := pool.QueryRow(ctx, `SELECT event_id FROM responses WHERE consultation_id = $1 AND event_id IS NOT NULL
		GROUP BY event_id ORDER BY count(*) DESC LIMIT 1`, c.ID).Scan(&event); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `INSERT INTO codes (consultation_id, question_id, code, name, position) VALUES ($1, $2, 'FK1', 'Fact key test', 1) RETURNING id`, c.ID, q1b.ID).Scan(&code); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"respondent=organisation",
		"respondent=individual",
		"respondent=organisation&channel=webform",
		"respondent=individual&group=public&channel=webform&channel=event",
		"answer=Q1a:fully",
		"answer=Q1a:not-at-all&respondent=organisation",
		"answer=Q1a:fully&answer=Q2a:mostly",
		"answer=Q1a:fully&answer=Q1a:mostly&answer=Q6a:not-at-all&respondent=individual",
		fmt.Sprintf("event=%d", event),
		fmt.Sprintf("event=%d&respondent=individual", event),
		"from=2021-01-20",
		"to=2021-01-20",
		"from=2021-01-10&to=2021-02-10&group=providers",
		"from=2021-03-01&to=2021-02-01",
		"respondent=organisation&sort=length",
		"respondent=individual&coding=uncoded",
		"respondent=individual&coding=nocode",
		fmt.Sprintf("respondent=individual&code=%d", code),
		fmt.Sprintf("answer=Q1a:mostly&code=%d", code),
		// Searches, with and without other filters (memlists.go).
		"q=inspection",
		"q=inspection&sort=length",
		"q=staff&respondent=individual&answer=Q1a:fully",
		"q=care&coding=uncoded",
		"q=care&coding=nocode&sort=length",
		fmt.Sprintf("q=inspection&code=%d&respondent=individual", code),
		"q=zebra",
		fmt.Sprintf("code=%d&sort=length", code),
		"coding=uncoded&sort=length",
		"coding=nocode&channel=webform",
	}
	// Each list is read from the copy in memory (svc) and in SQL; both
	// must list what a recount lists, on the first, second and last pages.
	services := map[string]*results.Service{"memory": svc, "memory, small probes": results.SmallProbes(svc), "SQL": results.SQLFacts(svc)}
	check := func(when string) {
		t.Helper()
		truth := recountLists(t, pool, c.ID, q1b.ID)
		for _, query := range queries {
			v, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			f, err := results.ParseFilter(c, v)
			if err != nil {
				t.Fatal(err)
			}
			want := truth.list(f, option, v.Get("sort"))
			if f.Text != "" {
				want = matching(t, pool, q1b.ID, f.Text, want)
			}
			for name, svc := range services {
				last := max(1, (len(want)+results.PageSize-1)/results.PageSize)
				for _, page := range []int{1, 2, last} {
					if page > last {
						continue
					}
					got, err := svc.ListAnswers(ctx, c, q1b, f, v.Get("sort"), page)
					if err != nil {
						t.Fatalf("%s: %s: %s: %v", when, name, query, err)
					}
					if got.Total != int64(len(want)) || got.Capped {
						t.Errorf("%s: %s: %s: total %d (capped %v), a recount finds %d", when, name, query, got.Total, got.Capped, len(want))
					}
					var gotIDs []int64
					for _, a := range got.Answers {
						gotIDs = append(gotIDs, a.ResponseID)
					}
					from := min(len(want), (page-1)*results.PageSize)
					wantIDs := want[from:min(len(want), from+results.PageSize)]
					if !slices.Equal(gotIDs, wantIDs) {
						t.Errorf("%s: %s: %s: page %d %v, a recount lists %v", when, name, query, page, gotIDs, wantIDs)
					}
				}
			}
		}
	}
	check("after load")

	// Coding: codes applied, "no code applies", on a stretch of answers.
	exec(`INSERT INTO unit_codes (consultation_id, response_id, question_id, code_id, position, channel, respondent_group_id, event_id)
		SELECT a.consultation_id, a.response_id, a.question_id, $2, 'supports', a.channel, a.respondent_group_id, 0
		FROM answers a WHERE a.question_id = $1 AND a.text IS NOT NULL AND a.response_id % 3 = 0 ON CONFLICT DO NOTHING`, q1b.ID, code)
	exec(`INSERT INTO unit_states (consultation_id, response_id, question_id, code_count, no_code, version, updated_by)
		SELECT a.consultation_id, a.response_id, a.question_id, CASE WHEN a.response_id % 3 = 0 THEN 1 ELSE 0 END, a.response_id % 3 <> 0, 1, NULL
		FROM answers a WHERE a.question_id = $1 AND a.text IS NOT NULL AND a.response_id % 3 <> 2 ON CONFLICT DO NOTHING`, q1b.ID)
	check("after coding")
	exec(`UPDATE responses SET merged_into = (SELECT min(id) FROM responses WHERE consultation_id = $1) WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 30 OFFSET 5)`, c.ID)
	check("after merging repeats")
	exec(`UPDATE responses SET respondent_group_id = (SELECT id FROM respondent_groups WHERE consultation_id = $1 AND slug = 'providers'),
		on_behalf_of_org = NOT on_behalf_of_org, organisation = CASE WHEN on_behalf_of_org THEN '' ELSE 'Corrected Ltd' END
		WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 AND channel IN ('letter', 'email') ORDER BY id LIMIT 12)`, c.ID)
	check("after correcting letters' senders")
	exec(`UPDATE answers SET option_id = $2 WHERE question_id = $3 AND response_id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id DESC LIMIT 40)`,
		c.ID, option("Q1a", "fully"), c.Question("Q1a").ID)
	check("after changing closed answers")
	exec(`UPDATE responses SET received_at = received_at + interval '9 days', event_id = CASE WHEN event_id IS NULL THEN $2::bigint END,
		channel = CASE WHEN event_id IS NULL THEN 'event' ELSE channel END
		WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 25 OFFSET 100)`, c.ID, event)
	check("after changing received dates and events")
	exec(`UPDATE responses SET merged_into = NULL WHERE consultation_id = $1 AND id IN (SELECT id FROM responses WHERE consultation_id = $1 AND merged_into IS NOT NULL ORDER BY id LIMIT 10)`, c.ID)
	check("after unmerging some repeats")
	exec(`UPDATE answers SET text = '[erased]' WHERE question_id = $2 AND response_id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 20 OFFSET 200)`, c.ID, q1b.ID)
	check("after erasing text")
	// Withdrawal deletes the answers and keeps the response, withdrawn.
	exec(`DELETE FROM answers WHERE response_id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 15 OFFSET 300)`, c.ID)
	exec(`UPDATE responses SET withdrawn = true WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 15 OFFSET 300)`, c.ID)
	check("after withdrawing responses")
	exec(`DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id DESC LIMIT 30)`, c.ID)
	check("after deleting responses")
	// A late import: new responses after everything else, with ids a few
	// blocks of the copy in memory further on, so the lists merge blocks.
	exec(`SELECT setval(pg_get_serial_sequence('responses', 'id'), (SELECT max(id) FROM responses) + 9000)`)
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i := range 60 {
			g := c.Groups[i%len(c.Groups)].ID
			text := fmt.Sprintf("late answer %d about inspection", i)
			opt := option("Q1a", []string{"fully", "not-at-all", "mostly"}[i%3])
			r := ingest.Response{SourceRef: fmt.Sprintf("late-%d", i), Channel: []string{"webform", "email", "letter"}[i%3], GroupID: &g,
				OnBehalfOfOrg: i%2 == 0, ReceivedAt: time.Date(2021, 1, 10+i%20, 9, 0, 0, 0, time.UTC),
				Answers: []ingest.Answer{{QuestionID: c.Question("Q1a").ID, OptionID: &opt}, {QuestionID: q1b.ID, Text: &text}}}
			if r.OnBehalfOfOrg {
				r.Organisation = "Late Org"
			}
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	check("after a late import")
}

// matching is the ids of list whose answers to the question match a
// search (websearch_to_tsquery: the searches here have no British or
// American spellings), in list's order.
func matching(t *testing.T, pool interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, questionID int32, text string, list []int64) []int64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT response_id FROM answers
		WHERE question_id = $1 AND text IS NOT NULL AND search @@ websearch_to_tsquery('english', $2)`, questionID, text)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, id := range list {
		if slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	return out
}

// recounted is what a list needs to know of each response, read
// straight from responses, answers and the coding tables.
type recounted struct {
	id       int64
	group    int32
	channel  string
	org      bool
	event    int64
	received time.Time
	length   int
	answers  map[int32]int32 // question → option
	coded    bool
	codes    map[int64]bool
	codeN    int
}

type recount []recounted

func recountLists(t *testing.T, pool interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, consultationID int64, questionID int32) recount {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `
		SELECT r.id, coalesce(r.respondent_group_id, 0), r.channel::text, r.on_behalf_of_org, coalesce(r.event_id, 0), r.received_at,
		       length(a.text), coalesce(s.coded, false), coalesce(s.code_count, 0),
		       coalesce((SELECT array_agg(b.question_id::bigint * 4294967296 + b.option_id) FROM answers b WHERE b.response_id = r.id AND b.option_id IS NOT NULL), '{}'),
		       coalesce((SELECT array_agg(uc.code_id::bigint) FROM unit_codes uc WHERE uc.response_id = r.id AND uc.question_id = a.question_id AND uc.segment_id IS NULL), '{}')
		FROM responses r
		JOIN answers a ON a.response_id = r.id AND a.question_id = $2 AND a.text IS NOT NULL
		LEFT JOIN unit_states s ON s.response_id = r.id AND s.question_id = a.question_id AND s.segment_id IS NULL
		WHERE r.consultation_id = $1 AND r.merged_into IS NULL AND NOT r.withdrawn`, consultationID, questionID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out recount
	for rows.Next() {
		var x recounted
		var pairs, codes []int64
		if err := rows.Scan(&x.id, &x.group, &x.channel, &x.org, &x.event, &x.received, &x.length, &x.coded, &x.codeN, &pairs, &codes); err != nil {
			t.Fatal(err)
		}
		x.answers = map[int32]int32{}
		for _, p := range pairs {
			x.answers[int32(p/4294967296)] = int32(p % 4294967296)
		}
		x.codes = map[int64]bool{}
		for _, c := range codes {
			x.codes[c] = true
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// list is the response ids f lists, in list order.
func (rc recount) list(f results.Filter, _ func(string, string) int32, sort string) []int64 {
	var keep []recounted
	for _, x := range rc {
		if len(f.GroupIDs) > 0 && !slices.Contains(f.GroupIDs, x.group) ||
			len(f.Channels) > 0 && !slices.Contains(f.Channels, x.channel) ||
			len(f.EventIDs) > 0 && !slices.Contains(f.EventIDs, x.event) ||
			f.Respondent == results.OrgOnly && !x.org || f.Respondent == results.IndividualsOnly && x.org ||
			!f.From.IsZero() && x.received.Before(f.From) || !f.To.IsZero() && !x.received.Before(f.Before()) ||
			f.Coding == results.Uncoded && x.coded || f.Coding == results.NoCode && x.codeN > 0 {
			continue
		}
		ok := true
		for _, a := range f.Answers {
			if o, answered := x.answers[a.Question.ID]; !answered || !slices.Contains(a.OptionIDs, o) {
				ok = false
			}
		}
		if len(f.CodeIDs) > 0 {
			has := false
			for _, c := range f.CodeIDs {
				has = has || x.codes[int64(c)]
			}
			ok = ok && has
		}
		if ok {
			keep = append(keep, x)
		}
	}
	slices.SortFunc(keep, func(a, b recounted) int {
		if sort == results.SortLength && a.length != b.length {
			return cmp.Compare(b.length, a.length)
		}
		if sort != results.SortLength && !a.received.Equal(b.received) {
			return a.received.Compare(b.received)
		}
		return cmp.Compare(a.id, b.id)
	})
	ids := make([]int64, len(keep))
	for i, x := range keep {
		ids[i] = x.id
	}
	return ids
}
