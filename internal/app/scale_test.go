package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/app"
	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

// serveProcess runs `heard serve` on a free port, as a separate process
// would, and returns its base URL; it stops when the test ends.
func serveProcess(t *testing.T, dbURL string, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- app.Run(ctx, []string{"serve", "-addr", "127.0.0.1:0"}, func(k string) string {
			if k == "DATABASE_URL" {
				return dbURL
			}
			return env[k]
		}, nil, &out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s := out.String(); strings.Contains(s, "http://") {
			return strings.TrimSpace(s[strings.Index(s, "http://"):])
		}
	}
	t.Fatalf("serve printed no address: %q", out.String())
	return ""
}

// browser is an HTTP client with one cookie jar, used against both
// processes (cookies do not depend on the port).
type browser struct {
	t    *testing.T
	http *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, http: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) upload(u, name string, data []byte) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data) //nolint:errcheck // bytes.Buffer
	mw.Close()
	req, _ := http.NewRequest("POST", u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// Two `heard serve` processes over one database behave as one service: a
// session started on one works on the other, a response draft saved on
// one is sent on the other, and each background job runs exactly once.
func TestTwoServeProcessesAreOneService(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	ctx := context.Background()
	if code, _, errOut := run(t, dbURL, "demo"); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, errOut := runIn(t, dbURL, "a long enough password\n", "user", "add", "-email", "admin@example.org", "-role", "admin"); code != 0 {
		t.Fatal(out, errOut)
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// Open the demo consultation for responses.
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now()
	def.Status, def.OpensOn, def.ClosesOn = "open", today.AddDate(0, 0, -7).Format(time.DateOnly), today.AddDate(0, 0, 30).Format(time.DateOnly)
	if _, err := (&consultation.Service{Pool: pool}).Load(ctx, def); err != nil {
		t.Fatal(err)
	}

	env := map[string]string{"HEARD_INSECURE_COOKIES": "1", "HEARD_DB_MAX_CONNS": "4", "HEARD_JOBS_MAX_CONNS": "3"}
	a, b := serveProcess(t, dbURL, env), serveProcess(t, dbURL, env)

	// Signed in on A, signed in on B.
	admin := newBrowser(t)
	if res, _ := admin.post(a+"/sign-in", url.Values{"email": {"admin@example.org"}, "password": {"a long enough password"}}); res.StatusCode != 200 {
		t.Fatalf("sign in on A = %d", res.StatusCode)
	}
	if res, body := admin.get(b + "/admin/users"); res.StatusCode != 200 || res.Request.URL.Path != "/admin/users" || !strings.Contains(body, "admin@example.org") {
		t.Fatalf("the session from A on B = %d at %s", res.StatusCode, res.Request.URL.Path)
	}

	// A draft saved on A is sent on B.
	respondent := newBrowser(t)
	const respond = "/consultations/cqc-2021/respond"
	if res, _ := respondent.post(a+respond+"/people-and-communities", url.Values{"q-Q1a": {"fully"}, "q-Q1b": {"Saved on A."}}); res.StatusCode != 200 {
		t.Fatalf("save on A = %d", res.StatusCode)
	}
	if res, _ := respondent.post(a+respond+"/publishing", url.Values{"consent": {"yes"}}); res.StatusCode != 200 {
		t.Fatalf("save consent on A = %d", res.StatusCode)
	}
	res, body := respondent.post(b+respond+"/submit", nil)
	ref := regexp.MustCompile(`<strong>([0-9A-Z]{4}-[0-9A-Z]{4})</strong>`).FindStringSubmatch(body)
	if res.StatusCode != 200 || res.Request.URL.Path != respond+"/confirmation" || ref == nil {
		t.Fatalf("submit on B = %d at %s", res.StatusCode, res.Request.URL.Path)
	}
	var sent string
	if err := pool.QueryRow(ctx, `SELECT a.text FROM responses r JOIN answers a ON a.response_id = r.id
		JOIN questions q ON q.id = a.question_id WHERE r.source_ref = $1 AND q.code = 'Q1b'`, ref[1]).Scan(&sent); err != nil || sent != "Saved on A." {
		t.Errorf("the response sent on B holds Q1b %q (%v), want the answer saved on A", sent, err)
	}

	// Two large imports, one confirmed on each process; both processes
	// work the job queue. Each job runs once.
	rows := 0
	for i, base := range []string{a, b} {
		var csv strings.Builder
		csv.WriteString("reference,channel,Q7\n")
		for n := 0; csv.Len() < batchimport.BackgroundBytes+1000; n++ {
			fmt.Fprintf(&csv, "P%d-%05d,letter,%s\n", i, n, strings.Repeat("words ", 40))
			rows++
		}
		res, _ := admin.upload(base+"/admin/consultations/cqc-2021/imports", fmt.Sprintf("big%d.csv", i), []byte(csv.String()))
		if res.StatusCode != 200 {
			t.Fatalf("upload on process %d = %d", i, res.StatusCode)
		}
		if res, _ := admin.post(base+res.Request.URL.Path+"/confirm", nil); res.StatusCode != 200 {
			t.Fatalf("confirm on process %d = %d", i, res.StatusCode)
		}
	}
	for {
		var pending int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'import_upload' AND finalized_at IS NULL`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if d, ok := t.Deadline(); ok && time.Until(d) < 30*time.Second {
			t.Fatalf("%d import jobs never finished", pending)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var jobs, completed, maxAttempt, batches, total int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state = 'completed'), max(attempt) FROM river_job WHERE kind = 'import_upload'`).Scan(&jobs, &completed, &maxAttempt); err != nil {
		t.Fatal(err)
	}
	if jobs != 2 || completed != 2 || maxAttempt != 1 {
		t.Errorf("import jobs: %d, %d completed, most attempts %d; want 2, 2, 1", jobs, completed, maxAttempt)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM import_batches WHERE file_name LIKE 'big%.csv'`).Scan(&batches); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if batches != 2 || total != 790+1+rows {
		t.Errorf("%d batches and %d responses, want 2 and %d", batches, total, 790+1+rows)
	}
}
