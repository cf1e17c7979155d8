package server_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// The figures around the counts go through the same small-number
// protection as the counts: the line naming the channels answers came
// through, events' attendance and responses, the group notes' attendance
// and the theme pages' letter base. Each part makes a small figure and
// then tries to read it, or to work it out by subtraction, as the public
// and a viewer; an analyst sees it (so the setup really made it).
func TestFiguresAroundCountsAreProtected(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`UPDATE consultations SET results_published = true, suppress_public = 10, suppress_viewer = 5`)
	anon := e.anonymous()
	viewer := e.user("viewer@example.org", accounts.Viewer)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	base := "/consultations/cqc-2021"
	type reader struct {
		c         *client
		threshold int64
	}
	protected := map[string]reader{"the public": {anon, 10}, "a viewer": {viewer, 5}}

	t.Run("channels answers came through", func(t *testing.T) {
		// Two Q1a answers in a channel that had none.
		var ch string
		if err := e.pool.QueryRow(ctx, `SELECT c FROM unnest(enum_range(NULL::channel)) c
			WHERE NOT EXISTS (SELECT 1 FROM answers a JOIN questions q ON q.id = a.question_id WHERE q.code = 'Q1a' AND a.channel = c AND a.consultation_id = (SELECT id FROM consultations WHERE slug = 'cqc-2021'))
			ORDER BY c LIMIT 1`).Scan(&ch); err != nil {
			t.Fatalf("no channel without Q1a answers: %v", err)
		}
		exec(`UPDATE responses SET channel = $1 WHERE id IN (SELECT a.response_id FROM answers a JOIN questions q ON q.id = a.question_id
			WHERE q.code = 'Q1a' AND a.channel = 'webform' AND a.consultation_id = (SELECT id FROM consultations WHERE slug = 'cqc-2021') ORDER BY a.response_id LIMIT 2)`, ch)
		label := map[string]string{"email": "email", "letter": "letter", "event": "engagement events", "webform": "online webform"}[ch]
		line := regexp.MustCompile(`Answers to this question came through: ([^<.]*)`)
		for who, c := range map[string]*client{"the public": anon, "a viewer": viewer} {
			_, body := c.get(base + "/questions/Q1a")
			m := line.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no channels line on Q1a", who)
			}
			if strings.Contains(m[1], label) {
				t.Errorf("%s is told Q1a answers came through %s, which holds 2", who, label)
			}
		}
		_, body := analyst.get(base + "/questions/Q1a")
		if m := line.FindStringSubmatch(body); m == nil || !strings.Contains(m[1], label) {
			t.Errorf("analysts should see %s named (the setup made 2 answers there)", label)
		}
	})

	t.Run("events table and attendance", func(t *testing.T) {
		exec(`UPDATE events SET attendees = 3 WHERE id = (SELECT min(id) FROM events WHERE consultation_id = (SELECT id FROM consultations WHERE slug = 'cqc-2021'))`)
		section := func(body string) string {
			i := strings.Index(body, `id="events"`)
			if i < 0 {
				t.Fatal("no events section on the overview")
			}
			return body[i:]
		}
		total := regexp.MustCompile(`events?, ([0-9,]+|fewer than [0-9]+|withheld) attendees?`)
		cells := regexp.MustCompile(`(?s)<tr class="govuk-table__row">.*?</tr>`)
		numeric := regexp.MustCompile(`govuk-table__cell--numeric">([^<]*)</td>`)
		read := func(c *client) (string, []string) {
			s := section(func() string { _, b := c.get(base); return b }())
			m := total.FindStringSubmatch(s)
			if m == nil {
				t.Fatal("no attendance total on the overview")
			}
			var att []string
			for _, row := range cells.FindAllString(s, -1) {
				if n := numeric.FindAllStringSubmatch(row, -1); len(n) == 3 {
					att = append(att, n[0][1])
				}
			}
			return m[1], att
		}
		tot, att := read(analyst)
		if !containsString(att, "3") {
			t.Fatalf("analysts should see the event of 3 attendees, got %v (total %s)", att, tot)
		}
		for who, r := range protected {
			tot, att := read(r.c)
			if containsString(att, "3") {
				t.Errorf("%s sees an event's 3 attendees: %v", who, att)
			}
			// Subtract every shown event from the shown total.
			n, err := strconv.ParseInt(strings.ReplaceAll(tot, ",", ""), 10, 64)
			if err != nil {
				continue // the total itself is withheld
			}
			for _, a := range att {
				if k, err := strconv.ParseInt(strings.ReplaceAll(a, ",", ""), 10, 64); err == nil {
					n -= k
				}
			}
			if n > 0 && n < r.threshold {
				t.Errorf("%s can work out %d attendees from the total less the events shown (%s; %v)", who, n, tot, att)
			}
		}
	})

	t.Run("group notes attendance", func(t *testing.T) {
		exec(`UPDATE event_notes SET attendees = 1`)
		notes := regexp.MustCompile(`Group notes from engagement events:</strong> [^,]*, ([^,]*) attendees?`)
		_, body := analyst.get(base + "/questions/Q1a")
		m := notes.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no group notes summary on Q1a for analysts")
		}
		if n, err := strconv.Atoi(m[1]); err != nil || n >= 5 {
			t.Fatalf("analysts should see the small attendance, got %q", m[1])
		}
		for who, c := range map[string]*client{"the public": anon, "a viewer": viewer} {
			_, body := c.get(base + "/questions/Q1a")
			m := notes.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no group notes summary on Q1a", who)
			}
			if !strings.HasPrefix(m[1], "fewer than") {
				t.Errorf("%s sees %q attendees at the group notes", who, m[1])
			}
		}
	})

	t.Run("letters on a theme", func(t *testing.T) {
		// Two letters on the theme in a group that had none.
		theme := `(SELECT id FROM themes WHERE slug = 'people-and-communities' AND consultation_id = (SELECT id FROM consultations WHERE slug = 'cqc-2021'))`
		letters := `SELECT DISTINCT sg.response_id FROM segments sg LEFT JOIN questions q ON q.id = sg.question_id WHERE sg.theme_id = ` + theme + ` OR q.theme_id = ` + theme
		exec(`UPDATE responses SET respondent_group_id = (SELECT id FROM respondent_groups WHERE slug = 'public' AND consultation_id = (SELECT id FROM consultations WHERE slug = 'cqc-2021')) WHERE id IN (` + letters + `)`)
		exec(`UPDATE responses SET respondent_group_id = (SELECT id FROM respondent_groups WHERE slug = 'cqc-teams' AND consultation_id = (SELECT id FROM consultations WHERE slug = 'cqc-2021')) WHERE id IN (` + letters + ` ORDER BY 1 LIMIT 2)`)
		shown := regexp.MustCompile(`<span class="heard-figure">([0-9,]+)</span> emails and letters have a part on this theme`)
		read := func(c *client, query string) (int64, bool) {
			_, body := c.get(base + "/themes/people-and-communities" + query)
			m := shown.FindStringSubmatch(body)
			if m == nil {
				return 0, false
			}
			n, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
			return n, true
		}
		if n, ok := read(analyst, "?group=cqc-teams"); !ok || n != 2 {
			t.Fatalf("analysts should see 2 letters from CQC teams, got %d %v", n, ok)
		}
		for who, r := range protected {
			total, ok := read(r.c, "")
			if !ok {
				continue
			}
			rest := total
			for _, g := range []string{"public", "providers", "cqc-teams", "other"} {
				n, ok := read(r.c, "?group="+g)
				if ok && n > 0 && n < r.threshold {
					t.Errorf("%s sees %d letters for group %s", who, n, g)
				}
				if ok {
					rest -= n
				}
			}
			if rest > 0 && rest < r.threshold {
				t.Errorf("%s can work out %d letters from the total less the groups shown", who, rest)
			}
		}
	})
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
