package mailimport

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// An mbox file is messages each opened by a "From " line. Writers escape
// "From " at the start of a body line as ">From " (mboxrd escapes
// ">From " too, as ">>From "), some add a Content-Length header and do not
// escape at all (mboxcl2), and some escape nothing (so a body's own
// "From " line looks like the next message). The reader here:
//   - takes a "From " line as a separator only after a blank line (or at
//     the start) and when a header field follows it;
//   - refuses the message around a "From " line that follows a blank line
//     but has no header after it, naming that line: splitting there would
//     lose text, not splitting may join two messages, so a person decides;
//   - undoes mboxrd escaping (one ">" from ">+From "), except in a body
//     measured by Content-Length, which is read as it is when the length
//     ends exactly at a separator (or the end of the file).

var headerField = regexp.MustCompile(`^[!-9;-~]+:`)

// mboxReader yields the lines of an mbox file, with one line of lookahead.
type mboxReader struct {
	br      *bufio.Reader
	line    int    // number of the last line returned
	pending []byte // bytes to read before br (a Content-Length body put back)
	peeked  []byte
	hasPeek bool
	err     error
}

// next returns the next line with its line end, or io.EOF.
func (r *mboxReader) next() ([]byte, error) {
	if r.hasPeek {
		r.hasPeek = false
		r.line++
		return r.peeked, nil
	}
	l, err := r.read()
	if err == nil {
		r.line++
	}
	return l, err
}

func (r *mboxReader) peek() ([]byte, error) {
	if !r.hasPeek {
		l, err := r.read()
		if err != nil {
			return nil, err
		}
		r.peeked, r.hasPeek = l, true
	}
	return r.peeked, nil
}

func (r *mboxReader) read() ([]byte, error) {
	if i := bytes.IndexByte(r.pending, '\n'); i >= 0 {
		l := r.pending[:i+1]
		r.pending = r.pending[i+1:]
		return l, nil
	}
	l, err := r.br.ReadBytes('\n')
	if len(r.pending) > 0 {
		// The start of the line was read ahead.
		l = append(r.pending, l...)
		r.pending = nil
	}
	if len(l) > 0 {
		return l, nil
	}
	return nil, err
}

// readBytes reads exactly n bytes (of a Content-Length body); on a short
// read what was read is put back.
func (r *mboxReader) readBytes(n int64) ([]byte, error) {
	buf := bytes.NewBuffer(r.pending)
	r.pending = nil
	if int64(buf.Len()) < n {
		if _, err := io.CopyN(buf, r.br, n-int64(buf.Len())); err != nil {
			r.pending = buf.Bytes()
			return nil, err
		}
	}
	b := buf.Bytes()
	r.pending = append([]byte(nil), b[n:]...)
	return b[:n:n], nil
}

// mboxMessage is one message being read.
type mboxMessage struct {
	item      string
	buf       bytes.Buffer
	inBody    bool
	tooLarge  bool
	doubtful  []string
	lastBlank bool
	warnings  []string
}

func (b *batch) readMbox(in io.Reader) error {
	r := &mboxReader{br: bufio.NewReaderSize(in, 1<<16)}
	first, err := r.next()
	for err == nil && len(bytes.TrimSpace(first)) == 0 {
		first, err = r.next()
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(first, []byte("From ")) {
		return errors.New(`not an mbox file: it does not start with a "From " line`)
	}
	n := 1
	cur := &mboxMessage{item: "message 1", lastBlank: true}
	for {
		l, err := r.next()
		if errors.Is(err, io.EOF) {
			b.finishMbox(cur)
			return nil
		}
		if err != nil {
			return err
		}
		if bytes.HasPrefix(l, []byte("From ")) && cur.lastBlank {
			next, _ := r.peek()
			if headerField.Match(next) {
				b.finishMbox(cur)
				if b.stop != nil {
					return nil
				}
				n++
				cur = &mboxMessage{item: fmt.Sprintf("message %d", n), lastBlank: true}
				continue
			}
			if cur.inBody {
				cur.doubtful = append(cur.doubtful, fmt.Sprintf("line %d of the file (%q) looks like the start of another message, but no header follows it: "+
					"an unescaped \"From \" line in the text, or a message without headers? The message was not imported; check it", r.line, trimLine(l, 60)))
			}
		}
		if !cur.inBody {
			if len(bytes.TrimRight(l, "\r\n")) == 0 {
				cur.inBody = true
				cur.add(l, b.lim.MaxMessageBytes)
				if cl, ok := contentLength(cur.buf.Bytes()); ok {
					b.readContentLength(r, cur, cl)
				}
				continue
			}
		} else if i := bytes.IndexFunc(l, func(c rune) bool { return c != '>' }); i > 0 && bytes.HasPrefix(l[i:], []byte("From ")) {
			l = l[1:] // mboxrd: one ">" less
		}
		cur.add(l, b.lim.MaxMessageBytes)
	}
}

// readContentLength reads a body that a Content-Length header measures,
// when the length ends at a separator or the end of the file; otherwise
// the body is read line by line, with a warning.
func (b *batch) readContentLength(r *mboxReader, cur *mboxMessage, n int64) {
	if n > b.lim.MaxMessageBytes || r.hasPeek {
		return // too large either way: reading by lines reports it
	}
	body, err := r.readBytes(n)
	if err != nil {
		cur.warnings = append(cur.warnings, fmt.Sprintf("Content-Length: %d runs past the end of the file; read by lines instead", n))
		return
	}
	r.line += bytes.Count(body, []byte("\n"))
	ahead := r.peekBytes(8)
	rest := bytes.TrimLeft(ahead, "\r\n")
	if len(bytes.TrimSpace(ahead)) == 0 && len(ahead) < 8 || bytes.HasPrefix(rest, []byte("From ")) {
		cur.add(body, b.lim.MaxMessageBytes)
		cur.lastBlank = true
		return
	}
	r.line -= bytes.Count(body, []byte("\n"))
	r.pending = append(body, r.pending...)
	cur.warnings = append(cur.warnings, fmt.Sprintf("Content-Length: %d does not end at the next message; read by lines instead", n))
}

// peekBytes returns up to k bytes ahead without consuming them.
func (r *mboxReader) peekBytes(k int) []byte {
	for len(r.pending) < k {
		c, err := r.br.ReadByte()
		if err != nil {
			break
		}
		r.pending = append(r.pending, c)
	}
	return r.pending[:min(k, len(r.pending))]
}

func (m *mboxMessage) add(l []byte, max int64) {
	m.lastBlank = len(bytes.TrimRight(l, "\r\n")) == 0
	if m.tooLarge {
		return
	}
	if int64(m.buf.Len()+len(l)) > max {
		m.tooLarge = true
		m.buf.Reset()
		return
	}
	m.buf.Write(l)
}

// finishMbox parses a message read from an mbox, with its problems.
func (b *batch) finishMbox(m *mboxMessage) {
	if m.tooLarge {
		b.problem(m.item, "message is larger than the limit of %d bytes", b.lim.MaxMessageBytes)
		return
	}
	raw := m.buf.Bytes()
	// The blank line before the next "From " line belongs to the file.
	if bytes.HasSuffix(raw, []byte("\r\n")) && len(bytes.TrimRight(raw, "\r\n")) < len(raw)-2 {
		raw = raw[:len(raw)-2]
	} else if bytes.HasSuffix(raw, []byte("\n\n")) {
		raw = raw[:len(raw)-1]
	}
	raw = toCRLF(raw)
	if len(m.doubtful) > 0 {
		for _, d := range m.doubtful {
			b.problem(m.item, "%s", d)
		}
		return
	}
	m2, reasons := parse(raw, b.lim)
	for _, r := range reasons {
		b.problem(m.item, "%s", r)
	}
	if m2 != nil && b.stop == nil {
		m2.Item = m.item
		m2.Problems = reasons
		m2.Warnings = append(m2.Warnings, m.warnings...)
		b.read++
		b.stop = b.each(*m2)
	}
}

// contentLength reads a Content-Length header from a message's header.
func contentLength(header []byte) (int64, bool) {
	for _, l := range bytes.Split(header, []byte("\n")) {
		k, v, ok := bytes.Cut(l, []byte(":"))
		if ok && bytes.EqualFold(bytes.TrimSpace(k), []byte("Content-Length")) {
			n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			return n, err == nil && n >= 0
		}
	}
	return 0, false
}

// toCRLF gives every line a CRLF end, as a message is sent.
func toCRLF(b []byte) []byte {
	if !bytes.Contains(b, []byte("\n")) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/40)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b...)
			break
		}
		out = append(out, bytes.TrimRight(b[:i], "\r")...)
		out = append(out, '\r', '\n')
		b = b[i+1:]
	}
	return out
}

func trimLine(l []byte, n int) string {
	s := string(bytes.TrimRight(l, "\r\n"))
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
