package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

func TestPublishingWithCare(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	ctx := context.Background()

	res, body := admin.get("/admin/consultations/cqc-2021/publish")
	if res.StatusCode != 200 || !strings.Contains(body, "Check what becomes public") || !strings.Contains(body, "fewer than 10") || !strings.Contains(body, "790 responses") {
		t.Fatalf("review page = %d", res.StatusCode)
	}
	// Without confirming, nothing is published.
	res, body = admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}})
	if res.StatusCode != 400 || !strings.Contains(body, "Confirm that you have checked what will become public") {
		t.Errorf("unconfirmed publish = %d", res.StatusCode)
	}
	if res, _ := e.anonymous().noRedirects().get("/consultations/cqc-2021"); res.StatusCode == 200 {
		t.Fatal("published without confirmation")
	}
	// An open consultation cannot be published; the admin page says why.
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET status = 'open'`); err != nil {
		t.Fatal(err)
	}
	res, body = admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}, "confirm": {"yes"}})
	if res.StatusCode != 409 || !strings.Contains(body, "Only a closed consultation") {
		t.Errorf("publishing an open consultation = %d", res.StatusCode)
	}
	if _, body := admin.get("/admin/consultations"); !strings.Contains(body, "Results can be published once the consultation is closed") {
		t.Error("the admin list does not say why an open consultation cannot be published")
	}
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET status = 'closed'`); err != nil {
		t.Fatal(err)
	}
	res, _ = admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}, "confirm": {"yes"}})
	if res.StatusCode != 200 {
		t.Fatalf("confirmed publish = %d", res.StatusCode)
	}
	if res, _ := e.anonymous().noRedirects().get("/consultations/cqc-2021"); res.StatusCode != 200 {
		t.Errorf("published overview for anonymous = %d", res.StatusCode)
	}
	// Unpublishing is immediate.
	admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"false"}})
	if res, _ := e.anonymous().noRedirects().get("/consultations/cqc-2021/report"); res.StatusCode == 200 {
		t.Error("report still public after unpublishing")
	}
	// Thresholds are per consultation.
	res, body = admin.post("/admin/consultations/cqc-2021/thresholds", url.Values{"public": {"20"}, "viewer": {"8"}})
	if res.StatusCode != 200 || !strings.Contains(body, `value="20"`) || !strings.Contains(body, "Thresholds saved") || res.Request.URL.RawQuery != "" {
		t.Errorf("thresholds = %d", res.StatusCode)
	}
	if res, _ := admin.post("/admin/consultations/cqc-2021/thresholds", url.Values{"public": {"0"}, "viewer": {"8"}}); res.StatusCode != 400 {
		t.Errorf("threshold 0 = %d", res.StatusCode)
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('results_published', 'results_unpublished')`).Scan(&n); err != nil {
		t.Fatal(err)
	} else if n < 2 {
		t.Errorf("%d publishing audit entries, want 2", n)
	}
}
