package e2e_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/server"
)

// These mirror internal/server's test helpers, name for name.

const (
	testPassword = "correct horse battery staple"
	respond      = "/consultations/cqc-2021/respond"
	eventsPath   = "/consultations/cqc-2021/events"
)

// env is a running server over a demo database.
type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	srv  *httptest.Server
	app  *server.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := dbtest.NewPool(t)
	if _, _, err := demo.Load(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	// httptest serves plain http, where a browser would drop Secure cookies.
	app := server.New(slog.New(slog.DiscardHandler), pool, server.Options{InsecureCookies: true})
	srv := httptest.NewServer(app.Routes())
	t.Cleanup(srv.Close)
	t.Cleanup(app.Close)
	return &env{t: t, pool: pool, srv: srv, app: app}
}

// user creates an account with role and returns a client signed in as it.
func (e *env) user(email string, role accounts.Role) *client {
	e.t.Helper()
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, email, testPassword, role); err != nil {
		e.t.Fatal(err)
	}
	c := e.anonymous()
	res, _ := c.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" {
		e.t.Fatalf("sign in as %s: %d at %s", email, res.StatusCode, res.Request.URL)
	}
	return c
}

func (e *env) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.srv.URL, http: &http.Client{Jar: jar}}
}

// viewer is who reads the counts in these tests: an analyst, since
// viewers see small numbers withheld (results/suppress.go) and these
// tests count single responses.
func (e *env) viewer() *client {
	e.t.Helper()
	return e.user("analyst@example.org", accounts.Analyst)
}

// client is a browser-like HTTP client with its own cookies.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// setForm reloads the CQC 2021 consultation (with its 790 demo
// responses) with status and dates relative to today in London.
func (e *env) setForm(status string, opensIn, closesIn int) {
	e.t.Helper()
	def, err := demo.Definition()
	if err != nil {
		e.t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	today := time.Now().In(london)
	def.Status = status
	def.OpensOn, def.ClosesOn = today.AddDate(0, 0, opensIn).Format(time.DateOnly), today.AddDate(0, 0, closesIn).Format(time.DateOnly)
	if _, err := (&consultation.Service{Pool: e.pool}).Load(context.Background(), def); err != nil {
		e.t.Fatal(err)
	}
}

// csvCounts sums results.csv's count column by the given key columns.
func csvCounts(t *testing.T, body string, key func(rec []string) string) map[string]int {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("results.csv does not parse: %v", err)
	}
	if got := strings.Join(recs[0], ","); got != "question,option,respondent_group,channel,count,suppressed" {
		t.Fatalf("results.csv header = %q", got)
	}
	out := map[string]int{}
	for _, r := range recs[1:] {
		if r[5] != "false" {
			t.Fatalf("results.csv row %v: an analyst's rows are never suppressed", r)
		}
		n, err := strconv.Atoi(r[4])
		if err != nil || n <= 0 {
			t.Fatalf("results.csv row %v: count must be a positive integer", r)
		}
		out[key(r)] += n
	}
	return out
}

// webformCounts reads results.csv as a viewer and sums its webform rows
// by question/option.
func (e *env) webformCounts(viewer *client) map[string]int {
	e.t.Helper()
	_, body := viewer.get("/consultations/cqc-2021/results.csv?channel=webform")
	return csvCounts(e.t, body, func(r []string) string { return r[0] + "/" + r[1] })
}

// responsesFor counts the stored responses with a webform reference.
func (e *env) responsesFor(t *testing.T, reference string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM responses WHERE channel = 'webform' AND source_ref = $1`, reference).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// outage returns a switch that takes the test's database away for real:
// it stops taking connections and its open ones are terminated. The
// database comes back when the test ends, so that it can be dropped.
func (e *env) outage() func(on bool) {
	e.t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		e.t.Fatal(err)
	}
	name := e.pool.Config().ConnConfig.Database
	set := func(on bool) {
		e.t.Helper()
		allow := "true"
		if on {
			allow = "false"
		}
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{name}.Sanitize()+` ALLOW_CONNECTIONS `+allow); err != nil {
			e.t.Fatal(err)
		}
		if on {
			if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	e.t.Cleanup(func() {
		set(false)
		admin.Close(ctx)
	})
	return set
}

// parksDefinition is internal/server's small test definition.
var parksDefinition = func() string {
	b, err := os.ReadFile("../server/testdata/parks.json")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// upload posts a file to an import page as a browser would.
func (c *client) upload(path, name string, data []byte, fields map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v) //nolint:errcheck // bytes.Buffer
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data) //nolint:errcheck // bytes.Buffer
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}
