package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"heard/internal/accounts"
	"heard/internal/mailbox"
)

// mailboxCmd is `heard mailbox connect|fetch|list|disconnect` (#17).
func (e *env) mailboxCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: mailbox needs connect, fetch, list or disconnect", errUsage)
	}
	switch args[0] {
	case "connect":
		return e.mailboxConnect(ctx, args[1:])
	case "fetch":
		return e.mailboxFetch(ctx, args[1:])
	case "list":
		return e.mailboxList(ctx, args[1:])
	case "disconnect":
		return e.mailboxDisconnect(ctx, args[1:])
	}
	return fmt.Errorf("%w: unknown mailbox command %q (want connect, fetch, list or disconnect)", errUsage, args[0])
}

func (e *env) mailboxService() (*mailbox.Service, error) {
	key, err := mailbox.ParseKey(e.getenv(mailbox.KeyEnv))
	if err != nil {
		return nil, err
	}
	return &mailbox.Service{Key: key}, nil
}

func (e *env) mailboxConnect(ctx context.Context, args []string) error {
	fs := newFlags("mailbox connect", e)
	slug := fs.String("consultation", "", "the consultation's `slug`")
	var cfg mailbox.Config
	fs.StringVar(&cfg.Host, "host", "", "the IMAP server's `host` name")
	fs.IntVar(&cfg.Port, "port", 993, "the IMAP `port` (993 for tls, 143 for starttls)")
	fs.StringVar(&cfg.Security, "security", mailbox.TLS, "tls, starttls or none (none only for localhost)")
	fs.StringVar(&cfg.User, "user", "", "the mailbox's `user` name")
	fs.StringVar(&cfg.Folder, "folder", "INBOX", "the `folder` to read")
	fs.StringVar(&cfg.DoneFolder, "done-folder", "", "move imported messages to this `folder` (default: flag them where they are)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" || cfg.Host == "" || cfg.User == "" {
		return fmt.Errorf("%w: mailbox connect needs --consultation, --host and --user; the password is read from standard input", errUsage)
	}
	svc, err := e.mailboxService()
	if err != nil {
		return err
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("mailbox connect: read the password from standard input: %w", err)
	}
	cfg.Password = strings.TrimRight(line, "\r\n")
	pool, c, err := e.openConsultation(ctx, "mailbox connect", *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc.Pool = pool
	if err := svc.Connect(ctx, c, accounts.Actor{ClientIP: "command line"}, cfg); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "connected %s to %s@%s:%d (%s), folder %s; the password is stored encrypted\n", c.Slug, cfg.User, cfg.Host, cfg.Port, cfg.Security, cfg.Folder)
	return nil
}

func (e *env) mailboxFetch(ctx context.Context, args []string) error {
	fs := newFlags("mailbox fetch", e)
	slug := fs.String("consultation", "", "the consultation's `slug`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("%w: mailbox fetch needs --consultation", errUsage)
	}
	svc, err := e.mailboxService()
	if err != nil {
		return err
	}
	pool, c, err := e.openConsultation(ctx, "mailbox fetch", *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc.Pool = pool
	rep, err := svc.Fetch(ctx, c, accounts.Actor{ClientIP: "command line"})
	if rep != nil {
		for _, b := range rep.Batches {
			printReport(e.stdout, b)
		}
		fmt.Fprintf(e.stdout, "mailbox %s: %d fetched, %d imported, %d already stored, %d refused\n", c.Slug, rep.Fetched, rep.Imported, rep.Duplicates, rep.Refused)
		if rep.MarkError != "" {
			fmt.Fprintf(e.stdout, "  warning: %s\n", rep.MarkError)
		}
	}
	if err != nil {
		return err
	}
	if rep.Refused > 0 {
		return errors.New("mailbox fetch: some messages were refused (see above)")
	}
	return nil
}

func (e *env) mailboxList(ctx context.Context, args []string) error {
	if err := parse(newFlags("mailbox list", e), args); err != nil {
		return err
	}
	pool, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	rows, err := (&mailbox.Service{Pool: pool}).List(ctx)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "no mailboxes connected")
	}
	for _, m := range rows {
		last := "never fetched"
		if m.LastFetchAt != nil {
			last = "last fetched " + m.LastFetchAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		fmt.Fprintf(e.stdout, "%s\t%s@%s:%d (%s)\tfolder %s\t%s\n", m.Slug, m.Username, m.Host, m.Port, m.Security, m.Folder, last)
		if m.LastError != "" {
			fmt.Fprintf(e.stdout, "\tlast error: %s\n", m.LastError)
		}
	}
	return nil
}

func (e *env) mailboxDisconnect(ctx context.Context, args []string) error {
	fs := newFlags("mailbox disconnect", e)
	slug := fs.String("consultation", "", "the consultation's `slug`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("%w: mailbox disconnect needs --consultation", errUsage)
	}
	pool, c, err := e.openConsultation(ctx, "mailbox disconnect", *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := (&mailbox.Service{Pool: pool}).Disconnect(ctx, c, accounts.Actor{ClientIP: "command line"}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "disconnected the mailbox of %s (its imported responses stay)\n", c.Slug)
	return nil
}
