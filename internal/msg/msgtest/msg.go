package msgtest

import (
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// Property types from [MS-OXCDATA] 2.11.1.
const (
	TypeInt32   = 0x0003
	TypeBool    = 0x000B
	TypeObject  = 0x000D
	TypeString8 = 0x001E
	TypeString  = 0x001F
	TypeTime    = 0x0040
	TypeBinary  = 0x0102
)

// Property identifiers used by Heard's reader ([MS-OXPROPS]).
const (
	PidSubject          = 0x0037
	PidClientSubmitTime = 0x0039
	PidTransportHeaders = 0x007D
	PidSenderName       = 0x0C1A
	PidSenderAddrType   = 0x0C1E
	PidSenderEmail      = 0x0C1F
	PidRecipientType    = 0x0C15
	PidDisplayCc        = 0x0E03
	PidDisplayTo        = 0x0E04
	PidDeliveryTime     = 0x0E06
	PidBody             = 0x1000
	PidRtfCompressed    = 0x1009
	PidHTML             = 0x1013
	PidInternetMsgID    = 0x1035
	PidDisplayName      = 0x3001
	PidEmailAddress     = 0x3003
	PidAttachData       = 0x3701
	PidAttachFilename   = 0x3704
	PidAttachMethod     = 0x3705
	PidAttachLongName   = 0x3707
	PidAttachMimeTag    = 0x370E
	PidSMTPAddress      = 0x39FE
	PidMessageCodepage  = 0x3FFD
	PidSenderSMTP       = 0x5D01
)

// Prop is one MAPI property. Value is a string (written as PtypString,
// or PtypString8 in Windows-1252 when the message is not Unicode), a
// []byte, an int32, a bool or a time.Time.
type Prop struct {
	ID    uint16
	Value any
}

// Message is an Outlook message to write.
type Message struct {
	// ANSI writes string properties as PtypString8 (code page 1252), as
	// Outlook does for "Outlook Message Format" rather than "– Unicode".
	ANSI        bool
	Props       []Prop
	Recipients  [][]Prop
	Attachments []Attachment
}

// Attachment is an attached file (Props, with PidAttachData) or an
// embedded message.
type Attachment struct {
	Props    []Prop
	Embedded *Message
}

// Bytes writes m as a .msg file.
func (m *Message) Bytes() []byte {
	return CFB(m.nodes(true)...)
}

func (m *Message) nodes(top bool) []*Node {
	header := make([]byte, 24)
	if top {
		header = make([]byte, 32)
	}
	le := binary.LittleEndian
	le.PutUint32(header[8:], uint32(len(m.Recipients)))
	le.PutUint32(header[12:], uint32(len(m.Attachments)))
	le.PutUint32(header[16:], uint32(len(m.Recipients)))
	le.PutUint32(header[20:], uint32(len(m.Attachments)))
	props := m.Props
	if m.ANSI {
		props = append([]Prop{P(PidMessageCodepage, int32(1252))}, props...)
	}
	nodes := m.props(header, props)
	if top {
		nodes = append(nodes, Storage("__nameid_version1.0",
			Stream("__substg1.0_00020102", nil),
			Stream("__substg1.0_00030102", nil),
			Stream("__substg1.0_00040102", nil)))
	}
	for i, r := range m.Recipients {
		nodes = append(nodes, Storage(fmt.Sprintf("__recip_version1.0_#%08X", i), m.props(make([]byte, 8), r)...))
	}
	for i, a := range m.Attachments {
		ps := a.Props
		var kids []*Node
		if a.Embedded != nil {
			ps = append([]Prop{P(PidAttachMethod, int32(5))}, ps...)
			kids = append(kids, Storage("__substg1.0_3701000D", a.Embedded.nodes(false)...))
		} else {
			ps = append([]Prop{P(PidAttachMethod, int32(1))}, ps...)
		}
		kids = append(kids, m.props(make([]byte, 8), ps)...)
		if a.Embedded != nil {
			// The object property's entry in the property stream.
			kids[len(kids)-1].Data = append(kids[len(kids)-1].Data, entry(PidAttachData, TypeObject, 0xFFFFFFFF)...)
		}
		nodes = append(nodes, Storage(fmt.Sprintf("__attach_version1.0_#%08X", i), kids...))
	}
	return nodes
}

// props writes the property stream (header then 16-byte entries) and a
// __substg1.0_ stream for each variable-length value; the property
// stream is the last node returned.
func (m *Message) props(header []byte, props []Prop) []*Node {
	stream := append([]byte(nil), header...)
	var nodes []*Node
	le := binary.LittleEndian
	for _, p := range props {
		var typ uint16
		var data []byte
		term := 0 // [MS-OXMSG] 2.1.2: a string's size counts a terminator its stream lacks
		fixed := make([]byte, 8)
		switch v := p.Value.(type) {
		case string:
			if m.ANSI {
				typ = TypeString8
				b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(v))
				if err != nil {
					panic(err)
				}
				data, term = b, 1
			} else {
				typ = TypeString
				data = []byte{}
				for _, u := range utf16.Encode([]rune(v)) {
					data = le.AppendUint16(data, u)
				}
				term = 2
			}
		case []byte:
			typ, data = TypeBinary, v
		case int32:
			typ = TypeInt32
			le.PutUint32(fixed, uint32(v))
		case bool:
			typ = TypeBool
			if v {
				fixed[0] = 1
			}
		case time.Time:
			typ = TypeTime
			le.PutUint64(fixed, uint64(v.UnixNano()/100+116444736000000000))
		default:
			panic(fmt.Sprintf("msgtest: property %04X: unsupported value %T", p.ID, p.Value))
		}
		e := make([]byte, 16)
		le.PutUint32(e, uint32(p.ID)<<16|uint32(typ))
		le.PutUint32(e[4:], 6) // readable, writable
		if data != nil {
			le.PutUint32(e[8:], uint32(len(data)+term))
			nodes = append(nodes, Stream(fmt.Sprintf("__substg1.0_%04X%04X", p.ID, typ), data))
		} else {
			copy(e[8:], fixed)
		}
		stream = append(stream, e...)
	}
	return append(nodes, Stream("__properties_version1.0", stream))
}

func entry(id, typ uint16, size uint32) []byte {
	e := make([]byte, 16)
	binary.LittleEndian.PutUint32(e, uint32(id)<<16|uint32(typ))
	binary.LittleEndian.PutUint32(e[4:], 6)
	binary.LittleEndian.PutUint32(e[8:], size)
	return e
}

// P is a property: P(PidSubject, "Hello").
func P(id uint16, v any) Prop { return Prop{ID: id, Value: v} }
