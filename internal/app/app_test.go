package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"heard/internal/app"
	"heard/internal/dbtest"
	"heard/migrations"
)

// syncBuffer is a bytes.Buffer safe to read while Run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func run(t *testing.T, dbURL string, args ...string) (int, string, string) {
	return runIn(t, dbURL, "", args...)
}

func runIn(t *testing.T, dbURL, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	code := app.Run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// latestMigration is the number of the last embedded migration.
func latestMigration(t *testing.T) int {
	ups, err := fs.Glob(migrations.FS, "*.up.sql")
	if err != nil || len(ups) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	n, err := strconv.Atoi(strings.SplitN(ups[len(ups)-1], "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"slug": "Not OK", "title": ""}`), 0o600)
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"slug": "parks", "title": "Parks", "opens_on": "2026-01-01", "closes_on": "2026-02-01",
		"scales": [], "respondent_groups": [], "themes": [],
		"questions": [{"code": "Q1", "kind": "open", "prompt": "Anything to add?"}]}`), 0o600)

	for _, c := range []struct {
		name     string
		dbURL    string
		args     []string
		code     int
		out, err string
	}{
		{"no command", url, nil, 2, "", "Usage: heard"},
		{"help", url, []string{"help"}, 0, "serve [-addr host:port]", ""},
		{"unknown", url, []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"bad flag", url, []string{"serve", "-port", "1"}, 2, "", "flag provided but not defined: -port"},
		{"no database", "", []string{"demo"}, 1, "", "DATABASE_URL is not set"},
		{"load without file", url, []string{"load"}, 2, "", "load takes one definition file"},
		{"load missing file", url, []string{"load", filepath.Join(dir, "nope.json")}, 1, "", "no such file"},
		{"load invalid", url, []string{"load", bad}, 1, "", `slug: "Not OK"`},
		{"load", url, []string{"load", good}, 0, "loaded consultation parks", ""},
		{"migrate", url, []string{"migrate"}, 0, fmt.Sprintf("migration version %d", latestMigration(t)), ""},
		{"demo", url, []string{"demo"}, 0, "790 responses added, 0 already present", ""},
		{"demo again", url, []string{"demo"}, 0, "0 responses added, 790 already present", ""},
	} {
		code, out, errOut := run(t, c.dbURL, c.args...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errOut, c.err) {
			t.Errorf("%s: heard %v = %d\nstdout: %s\nstderr: %s\nwant %d, stdout with %q, stderr with %q", c.name, c.args, code, out, errOut, c.code, c.out, c.err)
		}
	}
}

// serve migrates, serves the real routes, prints its address and shuts
// down cleanly when its context ends (as on SIGINT/SIGTERM).
func TestServe(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	if code, _, errOut := run(t, url, "demo"); code != 0 {
		t.Fatal(errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- app.Run(ctx, []string{"serve", "-addr", "127.0.0.1:0"}, func(k string) string {
			if k == "DATABASE_URL" {
				return url
			}
			return ""
		}, nil, &out, io.Discard)
	}()
	var base string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s := out.String(); strings.Contains(s, "http://") {
			base = strings.TrimSpace(s[strings.Index(s, "http://"):])
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve printed no address: %q", out.String())
	}
	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	code, out, errOut := runIn(t, url, "a long enough password\n", "user", "add", "-email", "ada@example.org", "-role", "admin")
	if code != 0 || !strings.Contains(out, "added ada@example.org as admin") || strings.Contains(out, "password:") {
		t.Fatalf("user add with a password on stdin = %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runIn(t, url, "", "user", "add", "--email", "bob@example.org", "--role", "analyst")
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("user add without a password should generate one: %d %s", code, out)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		code  int
		err   string
	}{
		{"", []string{"user"}, 2, "user needs a subcommand"},
		{"", []string{"user", "add", "-email", "x@example.org"}, 2, "needs -email and -role"},
		{"", []string{"user", "add", "-email", "x@example.org", "-role", "god"}, 1, `"god" is not a role`},
		{"short\n", []string{"user", "add", "-email", "x@example.org", "-role", "viewer"}, 1, "at least 12 characters"},
		{"", []string{"user", "add", "-email", "not-an-email", "-role", "viewer"}, 1, "correct format"},
		{"", []string{"user", "add", "-email", "ADA@example.org", "-role", "viewer"}, 1, "already exists"},
		{"", []string{"user", "disable", "-email", "nobody@example.org"}, 1, "no user has the email address"},
		{"", []string{"user", "disable", "-email", "ada@example.org"}, 1, "no active admin"},
	} {
		code, out, errOut := runIn(t, url, c.stdin, c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("heard %v = %d\n%s%s\nwant %d and %q", c.args, code, out, errOut, c.code, c.err)
		}
	}
	if code, out, errOut := run(t, url, "user", "disable", "-email", "bob@example.org"); code != 0 || !strings.Contains(out, "disabled bob@example.org") {
		t.Errorf("user disable = %d %s %s", code, out, errOut)
	}
	code, out, _ = run(t, url, "user", "list")
	if code != 0 || !regexp.MustCompile(`ada@example.org\s+admin\s+active`).MatchString(out) || !regexp.MustCompile(`bob@example.org\s+analyst\s+disabled`).MatchString(out) {
		t.Errorf("user list = %d\n%s", code, out)
	}
	// The demo admin is created only on request, and reset on the next.
	code, out, _ = run(t, url, "demo", "-admin")
	if code != 0 || !strings.Contains(out, "demo admin: sign in at /sign-in as demo-admin@example.org with password ") {
		t.Errorf("demo -admin = %d %s", code, out)
	}
	if code, out, _ = run(t, url, "demo", "-admin"); code != 0 || !strings.Contains(out, "demo-admin@example.org") {
		t.Errorf("demo -admin again = %d %s", code, out)
	}

	// make run keeps the password in a file and reuses it, unless asked
	// for a new one or it no longer works.
	keep := filepath.Join(t.TempDir(), "demo-admin-password")
	pw := func(out string) string {
		m := regexp.MustCompile(`with password (\S+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no password in %q", out)
		}
		return m[1]
	}
	_, out, _ = run(t, url, "demo", "-admin", "-password-file", keep)
	first := pw(out)
	_, out, _ = run(t, url, "demo", "-admin", "-password-file", keep)
	if pw(out) != first || !strings.Contains(out, "unchanged") {
		t.Errorf("second run changed the kept password: %s", out)
	}
	_, out, _ = run(t, url, "demo", "-admin", "-password-file", keep, "-new-password")
	if second := pw(out); second == first {
		t.Error("-new-password kept the old password")
	} else if b, _ := os.ReadFile(keep); strings.TrimSpace(string(b)) != second {
		t.Error("the new password is not kept")
	}
	os.WriteFile(keep, []byte("not the password at all\n"), 0o600)
	if _, out, _ = run(t, url, "demo", "-admin", "-password-file", keep); strings.Contains(out, "not the password") {
		t.Error("a kept password that no longer works was printed")
	}
}

func TestImportTemplateExportCommands(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	if code, _, errOut := run(t, url, "demo"); code != 0 {
		t.Fatal(errOut)
	}
	dir := t.TempDir()
	tpl := filepath.Join(dir, "template.csv")
	if code, _, errOut := run(t, url, "template", "--consultation", "cqc-2021", "--format", "csv", "-o", tpl); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(tpl)
	if !strings.HasPrefix(string(b), "reference,received_on,channel,respondent_group,organisation,Q1a") {
		t.Errorf("template = %q", b)
	}
	good := filepath.Join(dir, "letters.csv")
	os.WriteFile(good, []byte("reference,channel,Q1a,Q7\nL-1,letter,Fully,\"=HYPERLINK(\"\"http://evil\"\")\"\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("reference,channel,Q1a\nL-2,letter,Perhaps\n"), 0o600)

	code, out, _ := run(t, url, "import", "--consultation", "cqc-2021", "--group", "public", good)
	if code != 0 || !strings.Contains(out, "letters.csv: imported") || !strings.Contains(out, "imported:            1") {
		t.Errorf("import good = %d\n%s", code, out)
	}
	code, out, errOut := run(t, url, "import", "--consultation", "cqc-2021", bad, good)
	if code != 1 || !strings.Contains(out, "bad.csv: REJECTED") || !strings.Contains(out, `row 2, column Q1a, value "Perhaps"`) ||
		!strings.Contains(out, "duplicates skipped:  1") || !strings.Contains(errOut, "rejected") {
		t.Errorf("import bad and repeated = %d\n%s%s", code, out, errOut)
	}
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"import", "x.csv"}, 2, "needs --consultation"},
		{[]string{"import", "--consultation", "cqc-2021", "x.doc"}, 2, "imports .eml, .msg"},
		{[]string{"import", "--consultation", "cqc-2021", "--channel", "fax", good}, 2, `--channel "fax"`},
		{[]string{"import", "--consultation", "nope", good}, 1, `no consultation "nope"`},
		{[]string{"import", "--consultation", "cqc-2021", "--group", "aliens", good}, 1, `"aliens" is not a respondent group`},
		{[]string{"export", "--consultation", "cqc-2021", "--format", "pdf"}, 2, `--format "pdf"`},
		{[]string{"template", "--consultation", "cqc-2021", "--format", "ods"}, 2, "csv or xlsx"},
	} {
		if code, _, errOut := run(t, url, c.args...); code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("heard %v = %d %s, want %d %q", c.args, code, errOut, c.code, c.err)
		}
	}

	csvOut := filepath.Join(dir, "responses.csv")
	if code, _, errOut := run(t, url, "export", "--consultation", "cqc-2021", "--what", "responses", "--format", "csv", "-o", csvOut); code != 0 {
		t.Fatal(errOut)
	}
	b, _ = os.ReadFile(csvOut)
	lines := strings.Count(string(b), "\n")
	if lines < 791 || !strings.Contains(string(b), `'=HYPERLINK`) || strings.Contains(string(b), `,=HYPERLINK`) {
		t.Errorf("csv export: %d lines; formula guarded: %v", lines, strings.Contains(string(b), `'=HYPERLINK`))
	}
	for _, f := range []string{"json", "xlsx"} {
		if code, _, errOut := run(t, url, "export", "--consultation", "cqc-2021", "--format", f, "-o", filepath.Join(dir, "r."+f)); code != 0 {
			t.Errorf("export %s: %s", f, errOut)
		}
	}
}
