package msg

import (
	"encoding/binary"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/inbucket/html2text"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Property types ([MS-OXCDATA] 2.11.1) that the reader uses.
const (
	typeInt16   = 0x0002
	typeInt32   = 0x0003
	typeBool    = 0x000B
	typeObject  = 0x000D
	typeString8 = 0x001E
	typeString  = 0x001F
	typeTime    = 0x0040
	typeBinary  = 0x0102
)

// props holds one object's properties by id: fixed values from the
// property stream, variable ones read from their own streams.
type props struct {
	fixed    map[uint16][8]byte
	strs     map[uint16]string
	bins     map[uint16][]byte
	codepage *codepage
}

// codepage decodes PtypString8 values; messages store their code page in
// PidTagMessageCodepage (or PidTagInternetCodepage), Windows-1252 when
// neither is set.
type codepage struct {
	enc encoding.Encoding // nil for UTF-8
}

// props reads the property stream in dir (its header is headerLen bytes)
// and the streams of its variable-length values. String8 values of
// attachments and recipients use the message's code page, parent.
func (t *tree) props(dir string, headerLen int, parent *codepage) (*props, error) {
	raw, ok, err := t.read(join(dir, propStream))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("msg: %s: no property stream", orTop(dir))
	}
	if len(raw) < headerLen || (len(raw)-headerLen)%16 != 0 {
		return nil, fmt.Errorf("msg: %s: property stream of %d bytes is not a header and 16-byte entries", orTop(dir), len(raw))
	}
	ps := &props{fixed: map[uint16][8]byte{}, strs: map[uint16]string{}, bins: map[uint16][]byte{}}
	type pending struct {
		id, typ uint16
	}
	var strings8 []pending
	le := binary.LittleEndian
	for e := raw[headerLen:]; len(e) >= 16; e = e[16:] {
		tag := le.Uint32(e)
		id, typ := uint16(tag>>16), uint16(tag)
		switch typ {
		case typeString, typeString8, typeBinary:
			b, ok, err := t.read(join(dir, fmt.Sprintf("__substg1.0_%04X%04X", id, typ)))
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			switch typ {
			case typeString:
				ps.strs[id] = utf16String(b)
			case typeString8:
				ps.bins[id] = b
				strings8 = append(strings8, pending{id, typ})
			default:
				ps.bins[id] = b
			}
		case typeObject:
			// An embedded message or OLE object: a storage, read by its owner.
		default:
			var v [8]byte
			copy(v[:], e[8:16])
			ps.fixed[id] = v
		}
	}
	ps.codepage = parent
	if cp := ps.int(0x3FFD); cp != 0 {
		ps.codepage = codepageOf(cp)
	} else if cp := ps.int(0x3FDE); cp != 0 && parent == nil {
		ps.codepage = codepageOf(cp)
	}
	if ps.codepage == nil {
		ps.codepage = codepageOf(1252)
	}
	for _, p := range strings8 {
		ps.strs[p.id] = ps.codepage.decode(ps.bins[p.id])
		delete(ps.bins, p.id)
	}
	return ps, nil
}

func orTop(dir string) string {
	if dir == "" {
		return "message"
	}
	return dir
}

func (ps *props) str(id uint16) string { return ps.strs[id] }

func (ps *props) bytes(id uint16) []byte { return ps.bins[id] }

func (ps *props) int(id uint16) int {
	v, ok := ps.fixed[id]
	if !ok {
		return 0
	}
	return int(int32(binary.LittleEndian.Uint32(v[:])))
}

// time reads a PtypTime: 100-nanosecond intervals since 1 January 1601 UTC.
func (ps *props) time(id uint16) time.Time {
	v, ok := ps.fixed[id]
	if !ok {
		return time.Time{}
	}
	ft := int64(binary.LittleEndian.Uint64(v[:]))
	if ft <= 0 {
		return time.Time{}
	}
	const epochDiff = 116444736000000000 // 1601 to 1970 in 100 ns
	return time.Unix(0, (ft-epochDiff)*100).UTC()
}

func utf16String(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	for len(u) > 0 && u[len(u)-1] == 0 {
		u = u[:len(u)-1]
	}
	return string(utf16.Decode(u))
}

func codepageOf(cp int) *codepage {
	var enc encoding.Encoding
	switch cp {
	case 65001, 20127:
		return &codepage{}
	case 1250:
		enc = charmap.Windows1250
	case 1251:
		enc = charmap.Windows1251
	case 1253:
		enc = charmap.Windows1253
	case 1254:
		enc = charmap.Windows1254
	case 1255:
		enc = charmap.Windows1255
	case 1256:
		enc = charmap.Windows1256
	case 1257:
		enc = charmap.Windows1257
	case 1258:
		enc = charmap.Windows1258
	case 28591:
		enc = charmap.ISO8859_1
	case 28605:
		enc = charmap.ISO8859_15
	case 932:
		enc = japanese.ShiftJIS
	case 936:
		enc = simplifiedchinese.GBK
	case 949:
		enc = korean.EUCKR
	case 950:
		enc = traditionalchinese.Big5
	default:
		enc = charmap.Windows1252
	}
	return &codepage{enc: enc}
}

func (c *codepage) decode(b []byte) string {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	if c.enc == nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := c.enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// body takes the message text: the plain body when there is one, else
// text from the HTML body, else from the compressed RTF body (which may
// itself wrap HTML).
func body(ps *props) (string, string, error) {
	if s := ps.str(0x1000); strings.TrimSpace(s) != "" {
		return s, "text", nil
	}
	if h, ok := htmlBody(ps); ok {
		text, err := html2text.FromString(h, html2text.Options{TextOnly: true})
		if err != nil {
			return "", "", fmt.Errorf("msg: HTML body: %w", err)
		}
		return text, "html", nil
	}
	if c := ps.bytes(0x1009); len(c) > 0 {
		text, err := rtfBody(c)
		if err != nil {
			return "", "", err
		}
		return text, "rtf", nil
	}
	return "", "", nil
}

// rtfBody is the text of a compressed RTF body, going through HTML when
// the RTF wraps it.
func rtfBody(c []byte) (string, error) {
	rtf, err := decompressRTF(c)
	if err != nil {
		return "", fmt.Errorf("msg: RTF body: %w", err)
	}
	text, isHTML := rtfText(rtf)
	if isHTML {
		if text, err = html2text.FromString(text, html2text.Options{TextOnly: true}); err != nil {
			return "", fmt.Errorf("msg: HTML in RTF body: %w", err)
		}
	}
	return text, nil
}

// htmlBody is PidTagHtml, stored as binary in the message's code page
// (or UTF-8 when it says so), or occasionally as a string.
func htmlBody(ps *props) (string, bool) {
	if s := ps.str(0x1013); s != "" {
		return s, true
	}
	b := ps.bytes(0x1013)
	if len(b) == 0 {
		return "", false
	}
	if utf8.Valid(b) {
		return string(b), true
	}
	return ps.codepage.decode(b), true
}

// headerFrom takes the address from a From: line of transport headers.
func headerFrom(headers string) string {
	for _, line := range strings.Split(headers, "\n") {
		if len(line) > 5 && strings.EqualFold(line[:5], "from:") {
			if a, err := mail.ParseAddress(strings.TrimSpace(line[5:])); err == nil {
				return a.Address
			}
		}
	}
	return ""
}
