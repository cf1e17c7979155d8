// Package mailbox watches a consultation's shared IMAP mailbox: an admin
// connects it (the password stored encrypted with HEARD_SECRET_KEY and
// never shown again), and every fetch imports new messages exactly as an
// uploaded .eml would be imported — whole or nothing per message, never
// twice (by IMAP UID and by Message-ID) — then moves or flags them on
// the server. Each fetch's messages form import batches, listed with
// the consultation's other imports.
package mailbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/fielderr"
)

// Security is how the connection is protected.
const (
	TLS      = "tls"      // implicit TLS, usually port 993
	StartTLS = "starttls" // plain, upgraded with STARTTLS, usually port 143
	None     = "none"     // plain text: only to a server on this machine
)

// Config is a mailbox to connect.
type Config struct {
	Host     string
	Port     int
	Security string
	User     string
	Password string
	// Folder is read for new messages (INBOX when empty).
	Folder string
	// DoneFolder, if set, is where imported messages are moved;
	// otherwise they are flagged \Seen and $HeardImported where they are.
	DoneFolder string
}

// Service connects and fetches mailboxes.
type Service struct {
	Pool *pgxpool.Pool
	Key  Key
	// RootCAs, if set, replaces the system's roots (tests use a
	// self-signed certificate).
	RootCAs *x509.CertPool
	// Timeout bounds each network step (default 30 s).
	Timeout time.Duration
}

// ErrNotConnected: the consultation has no mailbox.
var ErrNotConnected = errors.New("no mailbox is connected to this consultation")

// ValidationError is a Config field that is wrong.
type ValidationError struct{ Field, Message string }

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// FieldProblems names the field at fault (fielderr.Error).
func (e *ValidationError) FieldProblems() []fielderr.Problem { return fielderr.One(e.Field, e.Message) }

func (cfg *Config) validate() error {
	cfg.Host, cfg.User, cfg.Folder = strings.TrimSpace(cfg.Host), strings.TrimSpace(cfg.User), strings.TrimSpace(cfg.Folder)
	if cfg.Folder == "" {
		cfg.Folder = "INBOX"
	}
	switch {
	case cfg.Host == "":
		return &ValidationError{"host", "Enter the mail server's host name"}
	case cfg.Port < 1 || cfg.Port > 65535:
		return &ValidationError{"port", "Enter a port between 1 and 65535 (993 for TLS, 143 for STARTTLS)"}
	case cfg.Security != TLS && cfg.Security != StartTLS && cfg.Security != None:
		return &ValidationError{"security", "Choose tls, starttls or none"}
	case cfg.Security == None && !isLocal(cfg.Host):
		return &ValidationError{"security", "A password is only sent unencrypted to a server on this machine (localhost): choose tls or starttls"}
	case cfg.User == "":
		return &ValidationError{"user", "Enter the mailbox's user name"}
	case cfg.Password == "":
		return &ValidationError{"password", "Enter the mailbox's password or app password"}
	case cfg.DoneFolder != "" && strings.EqualFold(cfg.DoneFolder, cfg.Folder):
		return &ValidationError{"done_folder", "Imported messages must be moved to a different folder from the one read"}
	}
	return nil
}

func isLocal(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Connect checks that the mailbox can be logged in to and its folder
// opened, then stores it for consultation c, its password encrypted.
// Connecting again replaces the mailbox and starts from its first message
// (messages already imported are recognised by their Message-ID).
func (s *Service) Connect(ctx context.Context, c *consultation.Consultation, by accounts.Actor, cfg Config) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	if len(s.Key) == 0 {
		return ErrNoKey
	}
	cl, err := s.dial(cfg)
	if err != nil {
		return err
	}
	defer cl.Close()
	if _, err := cl.Select(cfg.Folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return &ReachError{Field: "folder", Message: fmt.Sprintf("cannot open folder %q on %s: %v", cfg.Folder, cfg.Host, err), Err: err}
	}
	cl.Logout().Wait() //nolint:errcheck // the check is done
	secret, err := s.Key.seal(cfg.Password)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		p := db.UpsertMailboxParams{
			ConsultationID: c.ID, Host: cfg.Host, Port: int32(cfg.Port), Security: cfg.Security, Username: cfg.User,
			Secret: secret, Folder: cfg.Folder, DoneFolder: cfg.DoneFolder,
		}
		if by.User != nil {
			p.ConnectedBy = &by.User.ID
		}
		if err := q.UpsertMailbox(ctx, p); err != nil {
			return fmt.Errorf("mailbox: store: %w", err)
		}
		e := by.Entry("mailbox_connected")
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "mailbox", c.Slug
		e.Detail = map[string]any{"host": cfg.Host, "port": cfg.Port, "security": cfg.Security, "user": cfg.User, "folder": cfg.Folder}
		return audit.Record(ctx, q, e)
	})
}

// Disconnect forgets the consultation's mailbox and its password. What
// was imported stays.
func (s *Service) Disconnect(ctx context.Context, c *consultation.Consultation, by accounts.Actor) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		n, err := q.DeleteMailbox(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("mailbox: disconnect: %w", err)
		}
		if n == 0 {
			return ErrNotConnected
		}
		e := by.Entry("mailbox_disconnected")
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "mailbox", c.Slug
		return audit.Record(ctx, q, e)
	})
}

// List returns every connected mailbox (never their passwords).
func (s *Service) List(ctx context.Context) ([]db.ListMailboxesRow, error) {
	rows, err := db.New(s.Pool).ListMailboxes(ctx)
	if err != nil {
		return nil, fmt.Errorf("mailbox: list: %w", err)
	}
	return rows, nil
}

// dial connects and logs in.
func (s *Service) dial(cfg Config) (*imapclient.Client, error) {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	opts := &imapclient.Options{
		Dialer:    &net.Dialer{Timeout: timeout},
		TLSConfig: &tls.Config{ServerName: cfg.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12},
	}
	var cl *imapclient.Client
	var err error
	switch cfg.Security {
	case TLS:
		cl, err = imapclient.DialTLS(addr, opts)
	case StartTLS:
		cl, err = imapclient.DialStartTLS(addr, opts)
	default:
		cl, err = imapclient.DialInsecure(addr, opts)
	}
	if err != nil {
		return nil, &ReachError{Field: "host", Message: fmt.Sprintf("cannot connect to %s (%s): %v", addr, cfg.Security, err), Err: err}
	}
	if err := cl.WaitGreeting(); err != nil {
		cl.Close()
		return nil, fmt.Errorf("mailbox: %s did not greet as an IMAP server: %v", addr, err)
	}
	if err := cl.Login(cfg.User, cfg.Password).Wait(); err != nil {
		cl.Close()
		return nil, &LoginError{User: cfg.User, Addr: addr, Reason: err.Error()}
	}
	return cl, nil
}

// ReachError is a mail server that could not be reached, or a folder it
// does not have: something the admin can correct in the field named.
type ReachError struct {
	Field   string // "host" or "folder"
	Message string
	Err     error
}

func (e *ReachError) Error() string { return "mailbox: " + e.Message }
func (e *ReachError) Unwrap() error { return e.Err }

// FieldProblems names the field to correct (fielderr.Error).
func (e *ReachError) FieldProblems() []fielderr.Problem { return fielderr.One(e.Field, e.Message) }

// LoginError is a mailbox that refused the user name and password.
type LoginError struct{ User, Addr, Reason string }

func (e *LoginError) Error() string {
	return fmt.Sprintf("mailbox: %s refused the login for %q (%s): check the user name and password; many providers need an app password", e.Addr, e.User, e.Reason)
}
