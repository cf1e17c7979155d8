// Package imaptest runs a real IMAP server for tests: Debian's Dovecot,
// started by the test with its own configuration, users and maildir in
// a temporary directory, listening on a free port of 127.0.0.1 (plain,
// and TLS with a self-signed certificate). It also offers a proxy that
// drops the connection after a number of bytes, for tests of a
// connection lost mid-fetch.
//
// Dovecot is started as root (as the test suite runs in CI), with its
// login and internal processes under Debian's dovenull and dovecot users
// and mail owned by nobody. Without Dovecot, Start skips the test with
// the reason — except under CI=true, where it fails.
package imaptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// TB is what Start needs of a test (testing.T and testing.B have it;
// the bench brings its own).
type TB interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
	Cleanup(func())
}

// Server is a running Dovecot.
type Server struct {
	Host           string
	Port, TLSPort  int
	User, Password string
	// CertPEM is the TLS port's self-signed certificate, for the client's roots.
	CertPEM []byte
	dir     string
	mailUID int
	mailGID int
	seq     atomic.Int64
}

// Start starts Dovecot with one user and an empty INBOX.
func Start(t TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		bin = "/usr/sbin/dovecot"
		if _, err := os.Stat(bin); err != nil {
			require(t, "dovecot is not installed (Debian package dovecot-imapd)")
		}
	}
	if os.Geteuid() != 0 {
		require(t, "the Dovecot test server must be started as root")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("imaptest: %v", err)
	}
	for _, u := range []string{"dovecot", "dovenull"} {
		if _, err := user.Lookup(u); err != nil {
			require(t, "Dovecot's system user "+u+" is missing (reinstall dovecot-core)")
		}
	}
	// Not t.TempDir: Dovecot's own users must be able to reach it.
	dir, err := os.MkdirTemp("", "heard-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) //nolint:errcheck
	s := &Server{Host: "127.0.0.1", User: "consultation", Password: "s3cret pass", dir: dir}
	s.mailUID, _ = strconv.Atoi(nobody.Uid)
	s.mailGID, _ = strconv.Atoi(nobody.Gid)
	s.Port, s.TLSPort = freePort(t), freePort(t)
	cert, key := selfSigned(t)
	s.CertPEM = cert
	files := map[string][]byte{
		"users":    []byte(fmt.Sprintf("%s:{PLAIN}%s::::::\n", s.User, s.Password)),
		"cert.pem": cert,
		"key.pem":  key,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"run", "state", "mail"} {
		os.Mkdir(filepath.Join(dir, d), 0o755) //nolint:errcheck
	}
	os.Chown(filepath.Join(dir, "mail"), s.mailUID, s.mailGID) //nolint:errcheck
	conf := fmt.Sprintf(`# Written by heard/internal/imaptest for one test.
protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
mail_location = maildir:%[1]s/mail/%%u
mail_privileged_group =
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/users
}
userdb {
  driver = static
  args = uid=%[2]d gid=%[3]d home=%[1]s/mail/%%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[4]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[5]d
    ssl = yes
  }
}
service anvil {
  chroot =
}
service stats {
  inet_listener http {
    port = 0
  }
}
`, dir, s.mailUID, s.mailGID, s.Port, s.TLSPort)
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-F", "-c", confPath)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("imaptest: start dovecot: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt) //nolint:errcheck
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }() //nolint:errcheck
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-done
		}
		os.RemoveAll(dir)
	})
	s.waitReady(t)
	return s
}

func require(t TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("imaptest: CI must be able to run Dovecot: %s", reason)
	}
	t.Skipf("skipping: %s", reason)
}

// Addr is the plain IMAP address.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s *Server) waitReady(t TB) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err == nil {
			conn.SetDeadline(time.Now().Add(2 * time.Second)) //nolint:errcheck
			line, _ := bufio.NewReader(conn).ReadString('\n')
			conn.Close()
			if strings.HasPrefix(line, "* OK") {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "dovecot.log"))
	t.Fatalf("imaptest: dovecot did not start on %s:\n%s", s.Addr(), log)
}

// Deliver puts messages into a folder ("" for INBOX) as a mail server
// would: straight into the maildir's new/ directory, so thousands take
// moments. Dovecot gives them UIDs in the order delivered.
func (s *Server) Deliver(t TB, folder string, msgs ...[]byte) {
	t.Helper()
	box := filepath.Join(s.dir, "mail", s.User)
	if folder != "" && !strings.EqualFold(folder, "INBOX") {
		box = filepath.Join(box, "."+folder)
	}
	for _, d := range []string{"", "new", "cur", "tmp"} {
		p := filepath.Join(box, d)
		os.MkdirAll(p, 0o700)                             //nolint:errcheck
		os.Chown(p, s.mailUID, s.mailGID)                 //nolint:errcheck
		os.Chown(filepath.Dir(box), s.mailUID, s.mailGID) //nolint:errcheck
	}
	now := time.Now().Unix()
	for _, m := range msgs {
		// Maildir names sort by time then sequence: delivery order is kept.
		name := fmt.Sprintf("%d.M%09dP%d.heardtest", now, s.seq.Add(1), os.Getpid())
		p := filepath.Join(box, "new", name)
		if err := os.WriteFile(p, m, 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chown(p, s.mailUID, s.mailGID) //nolint:errcheck
	}
}

// Log is Dovecot's log so far, for a failing test's message.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "dovecot.log"))
	return string(b)
}

func freePort(t TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func selfSigned(t TB) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

// DropProxy forwards connections to addr and cuts each one after the
// server has sent limit bytes: a connection lost mid-fetch.
func DropProxy(t TB, addr string, limit int64) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { copyN(up, c, -1) }()
				copyN(c, up, limit)
			}()
		}
	}()
	return ln.Addr().String()
}

// copyN copies from src to dst until limit bytes (-1: no limit) or an error.
func copyN(dst, src net.Conn, limit int64) {
	buf := make([]byte, 32<<10)
	var n int64
	for limit < 0 || n < limit {
		k, err := src.Read(buf)
		if limit >= 0 && n+int64(k) > limit {
			k = int(limit - n)
		}
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return
			}
			n += int64(k)
		}
		if err != nil {
			return
		}
	}
}
