package mailbox

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/mailimport"
)

// Chunk is how many messages one import batch takes: a fetch of 10,000
// messages is 20 batches, each committed before the next is fetched, so
// a lost connection loses at most one chunk's download, never an import.
const Chunk = 500

// Flags set on the server when a message is not moved.
const (
	FlagImported = "$HeardImported"
	FlagRefused  = "$HeardRefused"
)

// FetchReport says what one fetch did.
type FetchReport struct {
	Batches                       []*batchimport.Report
	Fetched, Imported, Duplicates int
	Refused                       int
	// Remaining is how many new messages were not reached (a fetch that
	// stopped early); the next fetch carries on from there.
	Remaining int
	// MarkError says why imported messages could not be moved or flagged
	// on the server; they are still never imported twice.
	MarkError string
}

// ErrBusy: another fetch of the same mailbox is running.
var ErrBusy = errors.New("a fetch of this mailbox is already running")

// Fetch imports the new messages of c's mailbox. Messages are imported
// in chunks, each an import batch of its own, whole or nothing per
// message (a refused message is listed, the others are kept).
func (s *Service) Fetch(ctx context.Context, c *consultation.Consultation, by accounts.Actor) (*FetchReport, error) {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	defer conn.Release()
	lockQ := db.New(conn)
	ok, err := lockQ.TryMailboxLock(ctx, int32(c.ID))
	if err != nil {
		return nil, fmt.Errorf("mailbox: lock: %w", err)
	}
	if !ok {
		return nil, ErrBusy
	}
	defer lockQ.MailboxUnlock(context.WithoutCancel(ctx), int32(c.ID)) //nolint:errcheck // released with the session anyway

	rep, err := s.fetch(ctx, c, by)
	// The outcome is kept on the mailbox for the imports page.
	msg := ""
	if err != nil {
		msg = err.Error()
	} else if rep.MarkError != "" {
		msg = rep.MarkError
	}
	if serr := db.New(s.Pool).SetMailboxError(context.WithoutCancel(ctx), db.SetMailboxErrorParams{ConsultationID: c.ID, LastError: msg}); serr != nil && err == nil {
		err = fmt.Errorf("mailbox: record fetch: %w", serr)
	}
	return rep, err
}

func (s *Service) fetch(ctx context.Context, c *consultation.Consultation, by accounts.Actor) (*FetchReport, error) {
	q := db.New(s.Pool)
	mb, err := q.GetMailbox(ctx, c.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotConnected
	}
	if err != nil {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	password, err := s.Key.open(mb.Secret)
	if err != nil {
		return nil, err
	}
	cfg := Config{Host: mb.Host, Port: int(mb.Port), Security: mb.Security, User: mb.Username, Password: password, Folder: mb.Folder, DoneFolder: mb.DoneFolder}
	cl, err := s.dial(cfg)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	sel, err := cl.Select(cfg.Folder, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("mailbox: cannot open folder %q: %v", cfg.Folder, err)
	}
	validity, last := int64(sel.UIDValidity), mb.LastUid
	if validity != mb.UidValidity {
		// The server renumbered the folder: UIDs mean nothing now, and
		// Message-IDs alone keep messages from being imported twice.
		last = 0
	}
	rep := &FetchReport{}
	if sel.NumMessages == 0 {
		return rep, q.SetMailboxState(ctx, db.SetMailboxStateParams{ConsultationID: c.ID, UidValidity: validity, LastUid: last})
	}
	found, err := cl.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(last + 1), Stop: 0}}}}, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("mailbox: search for new messages: %v", err)
	}
	var uids []imap.UID
	for _, u := range found.AllUIDs() {
		// "n:*" always matches the highest UID, even below n.
		if int64(u) > last {
			uids = append(uids, u)
		}
	}
	slices.Sort(uids)
	for i := 0; i < len(uids); i += Chunk {
		chunk := uids[i:min(i+Chunk, len(uids))]
		if err := s.fetchChunk(ctx, cl, c, by, cfg, validity, chunk, rep); err != nil {
			rep.Remaining = len(uids) - i
			return rep, fmt.Errorf("mailbox: fetch stopped after %d of %d new messages (the rest are fetched next time): %w", i, len(uids), err)
		}
	}
	return rep, nil
}

// fetchChunk downloads, imports and records one chunk of messages, then
// moves or flags them on the server.
func (s *Service) fetchChunk(ctx context.Context, cl *imapclient.Client, c *consultation.Consultation, by accounts.Actor, cfg Config, validity int64, uids []imap.UID, rep *FetchReport) error {
	lim := mailimport.DefaultLimits()
	set := imap.UIDSetNum(uids...)
	// Sizes first, so an oversized message is refused without downloading it.
	sizes, err := cl.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return fmt.Errorf("sizes: %w", err)
	}
	refused := map[imap.UID]string{}
	var want []imap.UID
	for _, m := range sizes {
		if m.RFC822Size > lim.MaxMessageBytes {
			refused[m.UID] = fmt.Sprintf("message is %d bytes, more than the limit of %d", m.RFC822Size, lim.MaxMessageBytes)
		} else {
			want = append(want, m.UID)
		}
	}
	dir, err := os.MkdirTemp("", "heard-mailbox-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	name := fmt.Sprintf("mailbox %s UIDs %d-%d.zip", safeName(cfg.Folder), uids[0], uids[len(uids)-1])
	zipPath := filepath.Join(dir, "fetch.zip")
	got, err := download(cl, want, zipPath)
	if err != nil {
		return err
	}
	rep.Fetched += len(got) + len(refused)

	outcome := map[imap.UID][2]string{}
	var batchID *int64
	if len(got) > 0 {
		br, err := (&batchimport.Service{Pool: s.Pool}).ImportPath(ctx, zipPath, name, batchimport.Options{
			Consultation: c, Channel: "email", SkipInvalid: true, By: by,
		})
		if err != nil {
			return err
		}
		rep.Batches = append(rep.Batches, br)
		batchID = &br.BatchID
		for u := range got {
			outcome[u] = [2]string{"imported", ""}
		}
		for _, d := range br.Duplicates {
			if u, ok := uidOf(d.Item); ok {
				outcome[u] = [2]string{"duplicate", d.Reason}
			}
		}
		for _, p := range br.Problems {
			if u, ok := uidOf(p.Item); ok {
				outcome[u] = [2]string{"refused", p.String()}
			}
		}
	}
	for u, why := range refused {
		outcome[u] = [2]string{"refused", why}
	}
	var done, bad []imap.UID
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		for _, u := range uids {
			o, ok := outcome[u]
			if !ok {
				// Expunged between the search and the fetch: nothing to import.
				continue
			}
			switch o[0] {
			case "imported":
				rep.Imported++
				done = append(done, u)
			case "duplicate":
				rep.Duplicates++
				done = append(done, u)
			default:
				rep.Refused++
				bad = append(bad, u)
			}
			if err := q.InsertMailboxMessage(ctx, db.InsertMailboxMessageParams{
				ConsultationID: c.ID, UidValidity: validity, Uid: int64(u), MessageID: got[u], BatchID: batchID, Outcome: o[0], Reason: o[1],
			}); err != nil {
				return err
			}
		}
		return q.SetMailboxState(ctx, db.SetMailboxStateParams{ConsultationID: c.ID, UidValidity: validity, LastUid: int64(uids[len(uids)-1])})
	})
	if err != nil {
		return fmt.Errorf("record fetched messages: %w", err)
	}
	if err := mark(cl, cfg, done, bad); err != nil {
		rep.MarkError = "imported messages could not be moved or flagged on the server: " + err.Error()
	}
	return nil
}

// download fetches the messages' bytes into a zip of .eml files named
// by UID, the form an admin would upload. It returns each UID's
// Message-ID header (for the record).
func download(cl *imapclient.Client, uids []imap.UID, zipPath string) (map[imap.UID]string, error) {
	f, err := os.Create(zipPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	got := map[imap.UID]string{}
	if len(uids) > 0 {
		body := &imap.FetchItemBodySection{Peek: true}
		cmd := cl.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}})
		for {
			msg := cmd.Next()
			if msg == nil {
				break
			}
			buf, err := msg.Collect()
			if err != nil {
				cmd.Close()
				return nil, err
			}
			raw := buf.FindBodySection(body)
			w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("uid-%d.eml", buf.UID), Method: zip.Store})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(raw); err != nil {
				return nil, err
			}
			got[buf.UID] = messageID(raw)
		}
		if err := cmd.Close(); err != nil {
			return nil, fmt.Errorf("download: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return got, f.Close()
}

// mark moves imported (and already stored) messages to the done folder,
// or flags them; refused ones are flagged so a person can look.
func mark(cl *imapclient.Client, cfg Config, done, bad []imap.UID) error {
	if len(bad) > 0 {
		if err := cl.Store(imap.UIDSetNum(bad...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{FlagRefused}}, nil).Close(); err != nil {
			return err
		}
	}
	if len(done) == 0 {
		return nil
	}
	if cfg.DoneFolder == "" {
		return cl.Store(imap.UIDSetNum(done...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen, FlagImported}}, nil).Close()
	}
	// CREATE fails when the folder exists, which is the usual case.
	cl.Create(cfg.DoneFolder, nil).Wait() //nolint:errcheck
	_, err := cl.Move(imap.UIDSetNum(done...), cfg.DoneFolder).Wait()
	return err
}

func uidOf(item string) (imap.UID, bool) {
	var u uint32
	if _, err := fmt.Sscanf(item, "uid-%d.eml", &u); err != nil {
		return 0, false
	}
	return imap.UID(u), true
}

// messageID reads the Message-ID header from a message's header section.
func messageID(raw []byte) string {
	end := len(raw)
	if i := strings.Index(string(raw[:min(len(raw), 256<<10)]), "\r\n\r\n"); i >= 0 {
		end = i
	}
	for _, line := range strings.Split(string(raw[:min(end, 256<<10)]), "\n") {
		if len(line) > 11 && strings.EqualFold(line[:11], "message-id:") {
			return strings.Trim(strings.TrimSpace(line[11:]), "<>")
		}
	}
	return ""
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' {
			return '-'
		}
		return r
	}, s)
}
