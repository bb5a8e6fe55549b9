package etcd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"

	"github.com/ospreyrpc/osprey/discovery"
)

// Limits on what the resolver accepts from etcd; a value beyond them is
// skipped.
const (
	// MaxValueSize bounds one instance's JSON value.
	MaxValueSize = 4 << 10
	// MaxWeight bounds Instance.Weight.
	MaxWeight = 1 << 20
	// MaxTags bounds the number of tags of an instance.
	MaxTags = 32
	// maxServiceLen bounds a service name.
	maxServiceLen = 256
	// maxAddrLen bounds an address (a socket path may be long).
	maxAddrLen = 1024
	// maxTagLen bounds a tag's key and value.
	maxTagLen = 256
)

// errTooBig is the error of a value longer than MaxValueSize.
var errTooBig = fmt.Errorf("more than %d bytes", MaxValueSize)

// record is an instance's value in etcd.
type record struct {
	Network string            `json:"network"`
	Addr    string            `json:"addr"`
	Weight  int               `json:"weight,omitempty"`
	Tags    map[string]string `json:"tags,omitempty"`
}

// encode returns inst's value, checking it against the decoder's limits so
// that what is registered can be resolved.
func encode(inst *discovery.Instance) ([]byte, error) {
	r := record{Network: inst.Network, Addr: inst.Addr, Weight: inst.Weight, Tags: inst.Tags}
	if r.Network == "" {
		r.Network = "tcp"
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(b) > MaxValueSize {
		return nil, fmt.Errorf("instance %s: value of %d bytes: %w", inst, len(b), errTooBig)
	}
	return b, nil
}

// decode parses an instance's value.
func decode(b []byte) (*discovery.Instance, error) {
	if len(b) > MaxValueSize {
		return nil, fmt.Errorf("value of %d bytes: %w", len(b), errTooBig)
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return &discovery.Instance{Network: r.Network, Addr: r.Addr, Weight: r.Weight, Tags: r.Tags}, nil
}

func (r *record) check() error {
	switch r.Network {
	case "tcp":
		host, port, err := net.SplitHostPort(r.Addr)
		if err != nil || host == "" || port == "" || len(r.Addr) > maxAddrLen {
			return fmt.Errorf("tcp address %q: want host:port", r.Addr)
		}
	case "unix":
		if r.Addr == "" || len(r.Addr) > maxAddrLen {
			return fmt.Errorf("unix address of %d bytes: want 1 to %d", len(r.Addr), maxAddrLen)
		}
	default:
		return fmt.Errorf("network %q: want tcp or unix", r.Network)
	}
	if r.Weight < 0 || r.Weight > MaxWeight {
		return fmt.Errorf("weight %d: want 0 to %d", r.Weight, MaxWeight)
	}
	if len(r.Tags) > MaxTags {
		return fmt.Errorf("%d tags, more than %d", len(r.Tags), MaxTags)
	}
	for k, v := range r.Tags {
		if k == "" || len(k) > maxTagLen || len(v) > maxTagLen {
			return fmt.Errorf("tag %.32q: want a key of 1 to %d bytes and a value of at most %d", k, maxTagLen, maxTagLen)
		}
	}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	return nil
}
