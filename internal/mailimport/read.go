package mailimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// ReadFile reads the messages in one uploaded file, choosing the format by
// the extension of name: .eml (one message), .mbox (see mbox.go) or .zip (of
// .eml files). Messages that could be read are returned even when others
// could not; every message or entry that was skipped or read imperfectly
// is reported as a Problem. The error is for a file that cannot be read
// at all: an unknown extension, an unreadable zip, a file over
// lim.MaxFileBytes.
func ReadFile(name string, r io.Reader, lim Limits) ([]Message, []Problem, error) {
	var msgs []Message
	probs, err := Each(name, r, lim, func(m Message) error {
		msgs = append(msgs, m)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return msgs, probs, nil
}

// Each is ReadFile for large files: it hands each message to fn as soon
// as it is read instead of keeping them all, so an mbox of any size is
// read in the memory of one message. An error from fn stops the reading
// and is returned as it is.
func Each(name string, r io.Reader, lim Limits, fn func(Message) error) ([]Problem, error) {
	b := &batch{file: name, lim: lim.withDefaults(), each: fn}
	in := &capReader{r: r, left: b.lim.MaxFileBytes}
	var err error
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".eml":
		err = b.readEML(in)
	case ".mbox":
		err = b.readMbox(in)
	case ".zip":
		err = b.readZip(in)
	case ".msg": // Outlook (#17): see msg.go
		err = b.readMSG("message 1", in)
	default:
		return nil, fmt.Errorf("mailimport: %s: cannot read %q files (want .eml, .msg, .mbox or .zip)", name, ext)
	}
	if errors.Is(err, errFileTooLarge) {
		err = fmt.Errorf("%w of %d bytes", err, b.lim.MaxFileBytes)
	}
	if b.stop != nil {
		return nil, b.stop
	}
	if err != nil {
		return nil, fmt.Errorf("mailimport: read %s: %w", name, err)
	}
	if b.read == 0 && len(b.probs) == 0 {
		b.problem("", "the file holds no messages")
	}
	return b.probs, nil
}

// batch collects the messages and problems of one file.
type batch struct {
	file  string
	lim   Limits
	each  func(Message) error
	read  int   // messages handed to each
	stop  error // what each returned, which ends the reading
	probs []Problem
}

func (b *batch) problem(item, format string, args ...any) {
	b.probs = append(b.probs, Problem{File: b.file, Item: item, Reason: fmt.Sprintf(format, args...)})
}

// add parses one message's bytes, keeping the message if it could be
// parsed and recording every problem found in it.
func (b *batch) add(item string, raw []byte) {
	m, reasons := parse(raw, b.lim)
	for _, r := range reasons {
		b.problem(item, "%s", r)
	}
	if m != nil && b.stop == nil {
		m.Item = item
		m.Problems = reasons
		b.read++
		b.stop = b.each(*m)
	}
}

// readMessage reads one message, reporting it as a problem if it is over
// the size limit.
func (b *batch) readMessage(item string, r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, b.lim.MaxMessageBytes+1))
	if err != nil {
		return err
	}
	if int64(len(raw)) > b.lim.MaxMessageBytes {
		b.problem(item, "message is larger than the limit of %d bytes", b.lim.MaxMessageBytes)
		return nil
	}
	b.add(item, raw)
	return nil
}

func (b *batch) readEML(r io.Reader) error {
	return b.readMessage("message 1", r)
}

func (b *batch) readZip(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("not a readable zip file: %w", err)
	}
	if n := len(zr.File); n > b.lim.MaxZipEntries {
		b.problem("", "zip has %d entries, more than the limit of %d; nothing was read", n, b.lim.MaxZipEntries)
		return nil
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
	}
	if declared > uint64(b.lim.MaxZipTotalBytes) {
		b.problem("", "zip declares %d bytes uncompressed, more than the limit of %d (a zip bomb?); nothing was read",
			declared, b.lim.MaxZipTotalBytes)
		return nil
	}
	entryMax := min(b.lim.MaxZipEntryBytes, b.lim.MaxMessageBytes)
	var total int64
	for _, f := range zr.File {
		name := f.Name
		// Folders and the resource forks macOS adds to zips hold no messages.
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") {
			continue
		}
		isMSG := strings.EqualFold(path.Ext(name), ".msg") // Outlook (#17)
		if !strings.EqualFold(path.Ext(name), ".eml") && !isMSG {
			b.problem(name, "not an .eml or .msg file; only emails are read from a zip")
			continue
		}
		if f.UncompressedSize64 > uint64(entryMax) {
			b.problem(name, "declares %d bytes uncompressed, more than the limit of %d", f.UncompressedSize64, entryMax)
			continue
		}
		raw, err := readEntry(f, entryMax)
		total += int64(len(raw))
		switch {
		case err != nil:
			b.problem(name, "cannot decompress: %v", err)
			continue
		case int64(len(raw)) > entryMax:
			b.problem(name, "expands to more than the limit of %d bytes (a zip bomb?)", entryMax)
			continue
		case total > b.lim.MaxZipTotalBytes:
			b.problem(name, "the zip expands to more than the limit of %d bytes in all; this and later entries were not read",
				b.lim.MaxZipTotalBytes)
			return nil
		}
		if isMSG {
			b.addMSG(name, raw)
		} else {
			b.add(name, raw)
		}
		if b.stop != nil {
			return nil
		}
	}
	return nil
}

// readEntry reads at most max+1 bytes of a zip entry, whatever its header
// declares, so the caller can tell an entry that expands past max.
// archive/zip already fails an entry that outgrows its declared size; the
// limit here does not rely on that.
func readEntry(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, max+1))
}

var errFileTooLarge = errors.New("file is larger than the import limit")

// capReader fails with errFileTooLarge once more than left bytes are read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errFileTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errFileTooLarge
	}
	return n, err
}
