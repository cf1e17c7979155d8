package app_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/campaign"
	"heard/internal/consultation"
	"heard/internal/dbtest"
)

// A generated set of typed-up letters with known campaigns and repeats
// imports through the real CLI, which finds the campaigns and repeats.
func TestImportFindsCampaigns(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	if code, _, errOut := run(t, url, "demo"); code != 0 {
		t.Fatal(errOut)
	}
	docs := campaign.Generate(400, 3, 0.3, 21)
	path := filepath.Join(t.TempDir(), "letters.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"reference", "channel", "organisation", "Q1a", "Q1b"})
	wantRepeats := 0
	for i, d := range docs {
		w.Write([]string{fmt.Sprintf("G-%d", i), "letter", d.Sender, "Fully", d.Text})
		if d.Repeat >= 0 {
			wantRepeats++
		}
	}
	w.Flush()
	f.Close()
	code, out, errOut := run(t, url, "import", "--consultation", "cqc-2021", "--group", "public", path)
	if code != 0 || !strings.Contains(out, "campaigns: ") {
		t.Fatalf("import = %d\n%s%s", code, out, errOut)
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	c, err := (&consultation.Service{Pool: pool}).Get(context.Background(), "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	svc := &campaign.Service{Pool: pool}
	list, _, err := svc.List(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	big := 0
	for _, l := range list {
		if l.Members >= 20 {
			big++
		}
	}
	if big != 3 {
		t.Errorf("%d campaigns of 20 or more, want the 3 generated: %+v", big, list)
	}
	reps, err := svc.Repeats(context.Background(), c.ID)
	if err != nil || len(reps) < wantRepeats*9/10 {
		t.Errorf("%d repeats flagged (err %v), want about %d", len(reps), err, wantRepeats)
	}
}
