package imaptest_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"

	"heard/internal/imaptest"
)

func TestServer(t *testing.T) {
	s := imaptest.Start(t)
	var msgs [][]byte
	for i := range 3 {
		msgs = append(msgs, []byte(fmt.Sprintf("From: a@example.org\r\nMessage-ID: <%d@x>\r\nSubject: %d\r\n\r\nbody\r\n", i, i)))
	}
	s.Deliver(t, "", msgs...)
	c, err := imapclient.DialInsecure(s.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, s.Log())
	}
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil || sel.NumMessages != 3 {
		t.Fatalf("select: %+v %v\n%s", sel, err, s.Log())
	}
	if err := c.Login(s.User, "wrong").Wait(); err == nil {
		t.Error("second login accepted")
	}

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.CertPEM)
	tc, err := imapclient.DialTLS(net.JoinHostPort(s.Host, strconv.Itoa(s.TLSPort)), &imapclient.Options{TLSConfig: &tls.Config{RootCAs: roots}})
	if err != nil {
		t.Fatalf("TLS: %v\n%s", err, s.Log())
	}
	defer tc.Close()
	if err := tc.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatalf("TLS login: %v", err)
	}
}
