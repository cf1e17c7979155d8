package mailbox_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/imaptest"
	"heard/internal/mailbox"
)

var by = accounts.Actor{ClientIP: "test"}

type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	c    *consultation.Consultation
	imap *imaptest.Server
	svc  *mailbox.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := imaptest.Start(t)
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	key, err := mailbox.ParseKey(strings.Repeat("k", 40))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CertPEM)
	return &env{t: t, pool: pool, c: c, imap: srv, svc: &mailbox.Service{Pool: pool, Key: key, RootCAs: roots, Timeout: 10 * time.Second}}
}

func (e *env) config() mailbox.Config {
	return mailbox.Config{Host: "127.0.0.1", Port: e.imap.Port, Security: mailbox.None, User: e.imap.User, Password: e.imap.Password}
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func email(i int, id, body string) []byte {
	return []byte(fmt.Sprintf("From: Person %d <p%d@example.org>\r\nTo: consultation@cqc.example\r\nSubject: Response %d\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\nMessage-ID: <%s>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", i, i, i, id, body))
}

// flagged counts the messages in folder carrying flag.
func (e *env) flagged(folder, flag string) int {
	e.t.Helper()
	c, err := imapclient.DialInsecure(e.imap.Addr(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(e.imap.User, e.imap.Password).Wait(); err != nil {
		e.t.Fatal(err)
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		e.t.Fatal(err)
	}
	if flag == "" {
		return int(sel.NumMessages)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{Flag: []imap.Flag{imap.Flag(flag)}}, nil).Wait()
	if err != nil {
		e.t.Fatal(err)
	}
	return len(data.AllUIDs())
}

// TestFetch: new messages arrive as responses, once each; a repeated
// Message-ID is skipped, a broken message refused, and the server's
// copies are flagged.
func TestFetch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.imap.Deliver(t, "",
		email(1, "one@example.org", "Q1b: People first."),
		email(2, "two@example.org", "Q2b: Smarter please."),
		email(3, "one@example.org", "Q1b: People first, again."),
		email(4, "four@example.org", "Q3b: text with a NUL \x00 byte"),
	)
	if err := e.svc.Connect(ctx, e.c, by, e.config()); err != nil {
		t.Fatal(err)
	}
	rep, err := e.svc.Fetch(ctx, e.c, by)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 4 || rep.Imported != 2 || rep.Duplicates != 1 || rep.Refused != 1 || len(rep.Batches) != 1 {
		t.Fatalf("fetch: %+v", rep)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE channel = 'email'`); got != 2 {
		t.Errorf("%d email responses, want 2", got)
	}
	if got := e.flagged("INBOX", mailbox.FlagImported); got != 3 {
		t.Errorf("%d messages flagged imported, want 3", got)
	}
	if got := e.flagged("INBOX", mailbox.FlagRefused); got != 1 {
		t.Errorf("%d messages flagged refused, want 1", got)
	}
	var reason string
	e.pool.QueryRow(ctx, `SELECT reason FROM mailbox_messages WHERE outcome = 'refused'`).Scan(&reason) //nolint:errcheck
	if !strings.HasPrefix(reason, "uid-4.eml: ") || len(reason) < 20 {
		t.Errorf("refusal recorded as %q, want the message's UID and the reason", reason)
	}

	// Nothing new: nothing fetched. One new message: just that one.
	if rep, err = e.svc.Fetch(ctx, e.c, by); err != nil || rep.Fetched != 0 {
		t.Fatalf("second fetch: %+v %v", rep, err)
	}
	e.imap.Deliver(t, "", email(5, "five@example.org", "Q4b: Faster improvement."))
	if rep, err = e.svc.Fetch(ctx, e.c, by); err != nil || rep.Fetched != 1 || rep.Imported != 1 {
		t.Fatalf("third fetch: %+v %v", rep, err)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE channel = 'email'`); got != 3 {
		t.Errorf("%d email responses, want 3", got)
	}
}

// TestMoveToDoneFolder over TLS: imported messages leave the folder read.
func TestMoveToDoneFolder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.imap.Deliver(t, "", email(1, "a@example.org", "Q7: Fine."), email(2, "b@example.org", "Q7: Also fine."))
	cfg := e.config()
	cfg.Host, cfg.Port, cfg.Security, cfg.DoneFolder = "localhost", e.imap.TLSPort, mailbox.TLS, "Imported"
	if err := e.svc.Connect(ctx, e.c, by, cfg); err != nil {
		t.Fatal(err)
	}
	rep, err := e.svc.Fetch(ctx, e.c, by)
	if err != nil || rep.Imported != 2 {
		t.Fatalf("fetch: %+v %v", rep, err)
	}
	if in, done := e.flagged("INBOX", ""), e.flagged("Imported", ""); in != 0 || done != 2 {
		t.Errorf("INBOX %d, Imported %d; want 0 and 2", in, done)
	}
}

// TestConnectRefused: bad settings and a refused login are clear errors
// and store nothing.
func TestConnectRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	wrong := e.config()
	wrong.Password = "not the password"
	var le *mailbox.LoginError
	if err := e.svc.Connect(ctx, e.c, by, wrong); !errors.As(err, &le) || !strings.Contains(err.Error(), "refused the login") {
		t.Errorf("wrong password: %v", err)
	}
	remote := e.config()
	remote.Host = "imap.example.org"
	var ve *mailbox.ValidationError
	if err := e.svc.Connect(ctx, e.c, by, remote); !errors.As(err, &ve) || ve.Field != "security" {
		t.Errorf("plain text to a remote host: %v", err)
	}
	closed := e.config()
	closed.Port = 1
	var re *mailbox.ReachError
	if err := e.svc.Connect(ctx, e.c, by, closed); !errors.As(err, &re) || re.Field != "host" || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("closed port: %v", err)
	}
	noKey := *e.svc
	noKey.Key = nil
	if err := noKey.Connect(ctx, e.c, by, e.config()); !errors.Is(err, mailbox.ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	if got := e.count(`SELECT count(*) FROM mailboxes`); got != 0 {
		t.Errorf("%d mailboxes stored after refusals", got)
	}
	if _, err := e.svc.Fetch(ctx, e.c, by); !errors.Is(err, mailbox.ErrNotConnected) {
		t.Errorf("fetch without a mailbox: %v", err)
	}
	// The password is stored encrypted, never in clear.
	if err := e.svc.Connect(ctx, e.c, by, e.config()); err != nil {
		t.Fatal(err)
	}
	if got := e.count(`SELECT count(*) FROM mailboxes WHERE position($1::bytea in secret) > 0`, []byte(e.imap.Password)); got != 0 {
		t.Error("the password is stored in clear")
	}
	other, _ := mailbox.ParseKey(strings.Repeat("z", 40))
	changed := *e.svc
	changed.Key = other
	if _, err := changed.Fetch(ctx, e.c, by); err == nil || !strings.Contains(err.Error(), mailbox.KeyEnv) {
		t.Errorf("fetch with another key: %v", err)
	}
}

// TestDroppedConnection: a connection lost mid-fetch keeps what was
// imported, and the next fetch imports the rest, none twice.
func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var msgs [][]byte
	for i := range 1200 {
		msgs = append(msgs, email(i, fmt.Sprintf("m%d@example.org", i), fmt.Sprintf("Q7: Response number %d.", i)))
	}
	e.imap.Deliver(t, "", msgs...)
	if err := e.svc.Connect(ctx, e.c, by, e.config()); err != nil {
		t.Fatal(err)
	}
	// About 300 bytes a message: the connection dies inside the second chunk.
	proxy := imaptest.DropProxy(t, e.imap.Addr(), 260_000)
	_, port, _ := strings.Cut(proxy, ":")
	if _, err := e.pool.Exec(ctx, `UPDATE mailboxes SET port = $1`, port); err != nil {
		t.Fatal(err)
	}
	rep, err := e.svc.Fetch(ctx, e.c, by)
	if err == nil || !strings.Contains(err.Error(), "fetch stopped after 500 of 1200") {
		t.Fatalf("fetch through a dropping proxy: %+v %v", rep, err)
	}
	if rep.Imported != 500 || rep.Remaining != 700 {
		t.Errorf("before the drop: %+v", rep)
	}
	if got := e.count(`SELECT count(*) FROM mailboxes WHERE last_error LIKE '%fetch stopped%'`); got != 1 {
		t.Error("the failure is not shown on the mailbox")
	}
	if _, err := e.pool.Exec(ctx, `UPDATE mailboxes SET port = $1`, strconv.Itoa(e.imap.Port)); err != nil {
		t.Fatal(err)
	}
	rep, err = e.svc.Fetch(ctx, e.c, by)
	if err != nil || rep.Imported != 700 || rep.Duplicates != 0 {
		t.Fatalf("after reconnecting: %+v %v", rep, err)
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 1200 {
		t.Errorf("%d responses, want 1200", got)
	}
}

// TestThousands fetches a mailbox of thousands of messages.
func TestThousands(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const n = 3000
	var msgs [][]byte
	for i := range n {
		msgs = append(msgs, email(i, fmt.Sprintf("t%d@example.org", i), fmt.Sprintf("Q1b: Thought number %d on people and communities.", i)))
	}
	e.imap.Deliver(t, "", msgs...)
	if err := e.svc.Connect(ctx, e.c, by, e.config()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := e.svc.Fetch(ctx, e.c, by)
	if err != nil || rep.Imported != n || len(rep.Batches) != n/mailbox.Chunk {
		t.Fatalf("fetch: imported %d in %d batches, %v", rep.Imported, len(rep.Batches), err)
	}
	t.Logf("fetched and imported %d messages in %s", n, time.Since(start).Round(time.Millisecond))
	if got := e.count(`SELECT count(*) FROM responses`); got != n {
		t.Errorf("%d responses, want %d", got, n)
	}
}

// TestStartTLS connects on the plain port and upgrades, checking the
// server's certificate.
func TestStartTLS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.imap.Deliver(t, "", email(1, "st@example.org", "Q5b: Systems matter."))
	cfg := e.config()
	cfg.Host, cfg.Security = "localhost", mailbox.StartTLS
	if err := e.svc.Connect(ctx, e.c, by, cfg); err != nil {
		t.Fatal(err)
	}
	if rep, err := e.svc.Fetch(ctx, e.c, by); err != nil || rep.Imported != 1 {
		t.Fatalf("fetch: %+v %v", rep, err)
	}
	// Without the test certificate among the roots, TLS is refused.
	untrusting := *e.svc
	untrusting.RootCAs = x509.NewCertPool()
	if err := untrusting.Connect(ctx, e.c, by, cfg); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
}

// TestFetchRefusedLogin: a mailbox whose login stops working (a changed
// password) fails its fetch with a clear message kept on the mailbox,
// and imports nothing.
func TestFetchRefusedLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.imap.Deliver(t, "", email(1, "x@example.org", "Q7: Lost?"))
	if err := e.svc.Connect(ctx, e.c, by, e.config()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE mailboxes SET username = 'someone-else'`); err != nil {
		t.Fatal(err)
	}
	var le *mailbox.LoginError
	if _, err := e.svc.Fetch(ctx, e.c, by); !errors.As(err, &le) {
		t.Fatalf("fetch: %v", err)
	}
	if got := e.count(`SELECT count(*) FROM mailboxes WHERE last_error LIKE '%refused the login%' AND last_fetch_at IS NOT NULL`); got != 1 {
		t.Error("the refused login is not kept on the mailbox")
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 0 {
		t.Errorf("%d responses after a refused login", got)
	}
}
