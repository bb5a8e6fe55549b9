package testcert

import (
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"time"
)

// HostOverride is the server name gRPC's interop clients claim by default
// with --server_host_override; the certificate names it.
const HostOverride = "foo.test.google.fr"

// seed is the Ed25519 key seed: fixed, so every process makes the same key.
var seed = []byte("osprey interop test key seed 32b")

var load = sync.OnceValues(build)

// build makes the certificate from seed.
func build() (tls.Certificate, error) {
	key := ed25519.NewKeyFromSeed(seed)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "osprey interop test"},
		NotBefore:             time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		DNSNames:              []string{"localhost", HostOverride},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// Certificate returns the shared certificate with its private key.
func Certificate() (tls.Certificate, error) { return load() }

// ServerConfig returns a TLS configuration that presents the certificate
// and offers ALPN "h2". Each call returns a new configuration.
func ServerConfig() (*tls.Config, error) {
	cert, err := load()
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12}, nil
}

// ClientConfig returns a TLS configuration that trusts only the certificate,
// verifies that the server is serverName (a host name or an IP address) and
// offers ALPN "h2". Each call returns a new configuration.
func ClientConfig(serverName string) (*tls.Config, error) {
	cert, err := load()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return &tls.Config{RootCAs: pool, ServerName: serverName, NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12}, nil
}
