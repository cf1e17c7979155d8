package personal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
	"heard/internal/personal"
)

const personalText = "My name is Priya Shah. Ring me on 07911 123456 or write to priya@example.org. Thank you."

// setup loads the demo definition and stores one webform response whose
// open answer holds personal data, through the ingest Writer.
func setup(t *testing.T) (*pgxpool.Pool, *consultation.Consultation, int64, int32) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	q1b := c.Question("Q1b")
	text := personalText
	var id int64
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		w.AfterBatch = func(_ context.Context, _ *db.Queries, ids []int64, _ []ingest.Response) error {
			id = ids[0]
			return nil
		}
		if err := w.Add(ctx, ingest.Response{SourceRef: "ABCD-1234", Channel: "webform", ReceivedAt: time.Now(),
			Answers: []ingest.Answer{{QuestionID: q1b.ID, Text: &text}}}); err != nil {
			return err
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return pool, c, id, q1b.ID
}

func TestWriterDetectsInTheSameTransaction(t *testing.T) {
	t.Parallel()
	pool, _, id, q1b := setup(t)
	texts, err := (&personal.Service{Pool: pool}).Texts(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 1 || texts[0].QuestionID != q1b {
		t.Fatalf("texts = %+v, want the one open answer", texts)
	}
	var kinds []string
	for _, s := range texts[0].Spans {
		kinds = append(kinds, string(s.Kind)+"/"+s.Status)
	}
	if got := strings.Join(kinds, " "); got != "name/detected phone/detected email/detected" {
		t.Errorf("spans = %s", got)
	}
	want := "My name is [name removed]. Ring me on [phone number removed] or write to [email address removed]. Thank you."
	if got := texts[0].Redacted(); got != want {
		t.Errorf("redacted = %q, want %q", got, want)
	}
}

func TestDecisionsAndAddedRedactions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, c, id, q1b := setup(t)
	s := &personal.Service{Pool: pool}
	var uid int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, role, password_hash) VALUES ('a@heard.test', 'analyst', 'x') RETURNING id`).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	a := personal.Actor{UserID: uid, Email: "a@heard.test"}
	texts, _ := s.Texts(ctx, id)
	phone := texts[0].Spans[1]
	if err := s.Decide(ctx, a, c.ID, id, phone.ID, personal.StatusDismissed, ""); err == nil {
		t.Error("a decision without a reason was accepted")
	}
	if err := s.Decide(ctx, a, c.ID, id, phone.ID, personal.StatusDismissed, "the helpline's number, not hers"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, a, c.ID, id, q1b, "Thank you", personal.KindOther, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, a, c.ID, id, q1b, "not there", personal.KindOther, "test"); err == nil {
		t.Error("words not in the text were accepted")
	}
	texts, _ = s.Texts(ctx, id)
	want := "My name is [name removed]. Ring me on 07911 123456 or write to [email address removed]. [personal data removed]."
	if got := texts[0].Redacted(); got != want {
		t.Errorf("redacted = %q, want %q", got, want)
	}
	red, err := personal.LoadRedactions(ctx, db.New(pool), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	if got := red.Text(id, q1b, personalText); got != want {
		t.Errorf("LoadRedactions = %q, want %q", got, want)
	}
	// The audit log says what was decided, never the words.
	var n int
	var details string
	if err := pool.QueryRow(ctx, `SELECT count(*), string_agg(detail::text, ' ') FROM audit_log WHERE action LIKE 'redaction_%'`).Scan(&n, &details); err != nil {
		t.Fatal(err)
	}
	if n != 2 || strings.Contains(details, "07911") || strings.Contains(details, "Thank you") {
		t.Errorf("audit: %d entries %s", n, details)
	}
}

func TestBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _, id, _ := setup(t)
	if _, err := pool.Exec(ctx, `DELETE FROM personal_spans; DELETE FROM personal_scanned`); err != nil {
		t.Fatal(err)
	}
	n, err := personal.Backfill(ctx, pool)
	if err != nil || n != 1 {
		t.Fatalf("Backfill = %d, %v; want 1 response read", n, err)
	}
	var spans int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM personal_spans WHERE response_id = $1`, id).Scan(&spans); err != nil || spans != 3 {
		t.Errorf("after backfill: %d spans (%v), want 3", spans, err)
	}
	if n, _ := personal.Backfill(ctx, pool); n != 0 {
		t.Errorf("a second backfill read %d responses, want 0", n)
	}
}
