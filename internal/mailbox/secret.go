package mailbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// KeyEnv names the environment variable holding the key that encrypts
// mailbox passwords.
const KeyEnv = "HEARD_SECRET_KEY"

// ErrNoKey: without a key no mailbox password can be stored or used.
var ErrNoKey = errors.New(KeyEnv + " is not set (or shorter than 32 characters): set it to a long random value, e.g. the output of `openssl rand -base64 32`, to connect or fetch a mailbox")

// Key is the AES-256 key derived from HEARD_SECRET_KEY.
type Key []byte

// ParseKey derives the key from the variable's value: at least 32
// characters, hashed with SHA-256 to 32 bytes, so any long random text
// will do.
func ParseKey(value string) (Key, error) {
	if len(value) < 32 {
		return nil, ErrNoKey
	}
	sum := sha256.Sum256([]byte(value))
	return Key(sum[:]), nil
}

// seal encrypts a password with AES-GCM; the result is nonce || ciphertext.
func (k Key) seal(plain string) ([]byte, error) {
	if len(k) == 0 {
		return nil, ErrNoKey
	}
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("mailbox: nonce: %w", err)
	}
	return gcm.Seal(nonce, nonce, []byte(plain), nil), nil
}

// open decrypts what seal wrote.
func (k Key) open(sealed []byte) (string, error) {
	if len(k) == 0 {
		return "", ErrNoKey
	}
	gcm, err := k.gcm()
	if err != nil {
		return "", err
	}
	if len(sealed) < gcm.NonceSize() {
		return "", errors.New("mailbox: stored password is damaged")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("mailbox: the stored password cannot be decrypted: was %s changed? Connect the mailbox again", KeyEnv)
	}
	return string(plain), nil
}

func (k Key) gcm() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, fmt.Errorf("mailbox: key: %w", err)
	}
	return cipher.NewGCM(block)
}
