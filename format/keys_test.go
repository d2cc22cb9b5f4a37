package format

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"
)

func TestKeysParseInEveryForm(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	pkix, _ := x509.MarshalPKIXPublicKey(pub)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(priv)
	for name, b := range map[string][]byte{
		"PEM":    pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}),
		"raw":    pub,
		"hex":    []byte(hex.EncodeToString(pub) + "\n"),
		"base64": []byte(base64.StdEncoding.EncodeToString(pub)),
	} {
		got, err := ParsePublicKey(b)
		if err != nil || !got.Equal(pub) {
			t.Errorf("public key as %s: %v", name, err)
		}
	}
	for name, b := range map[string][]byte{
		"PEM":  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
		"seed": []byte(hex.EncodeToString(priv.Seed())),
		"raw":  priv,
	} {
		got, err := ParsePrivateKey(b)
		if err != nil || !got.Equal(priv) {
			t.Errorf("private key as %s: %v", name, err)
		}
	}
	if _, err := ParsePublicKey([]byte("not a key")); err == nil {
		t.Error("garbage parsed as a public key")
	}
	// The public key given where the private one belongs is named as such, not as an
	// asn1 structure error.
	_, err := ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}))
	if err == nil || !strings.Contains(err.Error(), "this is a public key") {
		t.Errorf("a public key as the signing key: %v; want an error saying it is a public key", err)
	}
}
