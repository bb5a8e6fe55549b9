package server

import (
	"net"
	"testing"

	"github.com/ospreyrpc/osprey/discovery"
)

func TestAdvertised(t *testing.T) {
	host := hostIP().String()
	for _, tc := range []struct {
		name string
		tmpl *discovery.Instance
		addr net.Addr
		want string // network:addr
	}{
		{"loopback", nil, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, "tcp:127.0.0.1:80"},
		{"ipv6", nil, &net.TCPAddr{IP: net.IPv6loopback, Port: 80}, "tcp:[::1]:80"},
		{"unspecified v4", nil, &net.TCPAddr{IP: net.IPv4zero, Port: 81}, "tcp:" + net.JoinHostPort(host, "81")},
		{"unspecified v6", nil, &net.TCPAddr{IP: net.IPv6unspecified, Port: 82}, "tcp:" + net.JoinHostPort(host, "82")},
		{"no IP", nil, &net.TCPAddr{Port: 83}, "tcp:" + net.JoinHostPort(host, "83")},
		{"unix", nil, &net.UnixAddr{Net: "unix", Name: "/tmp/s.sock"}, "unix:/tmp/s.sock"},
		{"given", &discovery.Instance{Addr: "10.0.0.1:1"}, &net.TCPAddr{Port: 84}, "tcp:10.0.0.1:1"},
		{"given unix", &discovery.Instance{Network: "unix", Addr: "/s"}, &net.TCPAddr{Port: 84}, "unix:/s"},
	} {
		if got := advertised(tc.tmpl, tc.addr).String(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if ip := hostIP(); ip.IsUnspecified() || ip == nil {
		t.Fatalf("hostIP %v", ip)
	}
}
