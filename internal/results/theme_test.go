package results_test

import (
	"context"
	"testing"

	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

// A theme page's count of emails and letters on the theme leaves out a
// response whose sender withdrew consent (erasure under consent marks it
// withdrawn and keeps its segments), as every other count does.
func TestThemeLettersLeaveOutWithdrawn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	var responseID int64
	var themeID int32
	if err := pool.QueryRow(ctx, `SELECT sg.response_id, coalesce(sg.theme_id, q.theme_id) FROM segments sg
		LEFT JOIN questions q ON q.id = sg.question_id
		WHERE sg.consultation_id = $1 AND coalesce(sg.theme_id, q.theme_id) IS NOT NULL
		ORDER BY sg.response_id LIMIT 1`, c.ID).Scan(&responseID, &themeID); err != nil {
		t.Fatalf("the demo has no letter on a theme: %v", err)
	}
	letters := func() int64 {
		t.Helper()
		rows, err := db.New(pool).ThemeLetters(ctx, db.ThemeLettersParams{ConsultationID: c.ID, ThemeID: &themeID})
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, r := range rows {
			n += r.N
		}
		return n
	}
	before := letters()
	// What erasure under consent does to the response (WithdrawResponse).
	if _, err := pool.Exec(ctx, `UPDATE responses SET withdrawn = true WHERE id = $1`, responseID); err != nil {
		t.Fatal(err)
	}
	if got := letters(); got != before-1 {
		t.Errorf("letters on theme %d after response %d was withdrawn: %d, want %d", themeID, responseID, got, before-1)
	}
}
