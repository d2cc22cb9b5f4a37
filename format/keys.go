package format

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
)

// ParsePublicKey reads an ed25519 public key for Verify, as PEM ("PUBLIC KEY", as
// `openssl pkey -pubout` writes it), or as 32 bytes raw, in hex or in base64.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	if blk, _ := pem.Decode(b); blk != nil {
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("parse public key: %T is not ed25519", k)
		}
		return pub, nil
	}
	raw, err := rawKey(b, ed25519.PublicKeySize)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	return ed25519.PublicKey(raw), nil
}

// ParsePrivateKey reads an ed25519 private key for WriterOptions.SignKey, as PEM
// ("PRIVATE KEY", PKCS #8, as `openssl genpkey -algorithm ed25519` writes it), or as a
// 32-byte seed or 64-byte key, raw, in hex or in base64.
func ParsePrivateKey(b []byte) (ed25519.PrivateKey, error) {
	if blk, _ := pem.Decode(b); blk != nil {
		if blk.Type == "PUBLIC KEY" {
			// The easy mistake: the key verify takes, given to the writer.
			return nil, errors.New("parse private key: this is a public key (PEM \"PUBLIC KEY\"); signing needs the private key, and verify --pubkey takes this one")
		}
		k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse private key: %w", err)
		}
		priv, ok := k.(ed25519.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("parse private key: %T is not ed25519", k)
		}
		return priv, nil
	}
	raw, err := rawKey(b, ed25519.SeedSize, ed25519.PrivateKeySize)
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	if len(raw) == ed25519.SeedSize {
		return ed25519.NewKeyFromSeed(raw), nil
	}
	return ed25519.PrivateKey(raw), nil
}

// rawKey decodes b as raw bytes, hex or base64, of one of the given sizes.
func rawKey(b []byte, sizes ...int) ([]byte, error) {
	fits := func(k []byte) bool {
		for _, n := range sizes {
			if len(k) == n {
				return true
			}
		}
		return false
	}
	// Text forms first: 64 hex digits are also 64 bytes.
	t := bytes.TrimSpace(b)
	if k, err := hex.DecodeString(string(t)); err == nil && fits(k) {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(string(t)); err == nil && fits(k) {
		return k, nil
	}
	if fits(b) {
		return b, nil
	}
	return nil, errors.New("not PEM, and not a key of the right size in raw bytes, hex or base64")
}
