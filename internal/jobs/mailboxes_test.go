package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/imaptest"
	"heard/internal/jobs"
	"heard/internal/mailbox"
)

// New mail arrives as responses without anyone asking.
func TestMailboxFetchedInBackground(t *testing.T) {
	t.Parallel()
	srv := imaptest.Start(t)
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
	key, _ := mailbox.ParseKey(strings.Repeat("j", 32))
	svc := &mailbox.Service{Pool: pool, Key: key}
	cfg := mailbox.Config{Host: "127.0.0.1", Port: srv.Port, Security: mailbox.None, User: srv.User, Password: srv.Password}
	if err := svc.Connect(ctx, c, accounts.Actor{}, cfg); err != nil {
		t.Fatal(err)
	}
	srv.Deliver(t, "", []byte("From: a@example.org\r\nMessage-ID: <bg@example.org>\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\n\r\nQ7: Fine.\r\n"))
	client, err := jobs.NewClientWith(pool, slog.New(slog.DiscardHandler), true, jobs.Options{SecretKey: key, MailboxInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	n := 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && n == 0; time.Sleep(200 * time.Millisecond) {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE source_ref = 'bg@example.org'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	if n != 1 {
		t.Fatal("the background job did not fetch the mailbox within 30 s")
	}
}
