package ttmeta

import (
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// Scratch holds the bytes of numbers written into a header, so that
// writing them allocates nothing. A header that uses it is valid until the
// next use of the Scratch.
type Scratch struct {
	timeout [20]byte
	biz     [12]byte
}

// alias returns b as a string without copying; b must not change while the
// string is in use.
func alias(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Request fills h, already reset, for a client call: caller and callee
// names, method, the time left until deadline in milliseconds (rounded up,
// so the callee never gets less than the caller has), and the call's
// persistent and transient metadata under Kitex's prefixes.
func Request(h *ttheader.Header, sc *Scratch, ri *rpcinfo.Info, now time.Time) {
	if ri.CallerService != "" {
		h.AddInt(ttheader.KeyFromService, ri.CallerService)
	}
	if ri.CallerMethod != "" {
		h.AddInt(ttheader.KeyFromMethod, ri.CallerMethod)
	}
	if ri.CalleeService != "" {
		h.AddInt(ttheader.KeyToService, ri.CalleeService)
	}
	h.AddInt(ttheader.KeyToMethod, ri.Method)
	if ri.LogID != "" {
		h.AddInt(ttheader.KeyLogID, ri.LogID)
	}
	if !ri.Deadline.IsZero() {
		left := ri.Deadline.Sub(now)
		ms := (left + time.Millisecond - 1) / time.Millisecond
		h.AddInt(ttheader.KeyRPCTimeout, alias(strconv.AppendInt(sc.timeout[:0], int64(max(ms, 1)), 10)))
	}
	if ri.Service != "" {
		h.AddStr(ttheader.KeyIDLServiceName, ri.Service)
	}
	persistent, transient := ri.Metadata.Outgoing()
	for _, p := range persistent {
		h.AddStr(ttheader.PrefixPersistent+p.Key, p.Value)
	}
	for _, p := range transient {
		if ttheader.PrefixTransient+p.Key == ttheader.GDPRTokenKey {
			h.Token = p.Value
			continue
		}
		h.AddStr(ttheader.PrefixTransient+p.Key, p.Value)
	}
}

// MuxKey is the string key with which Osprey's multiplexing client marks
// its requests ("1"), so that a server serves the connection's requests
// concurrently from the first one. Kitex ignores it.
const MuxKey = "osprey-mux"

// Multiplexed reports whether a request header carries MuxKey.
func Multiplexed(h *ttheader.Header) bool {
	v, ok := h.Str(MuxKey)
	return ok && v == "1"
}

// ServerCall is what a request header tells a server about its call.
type ServerCall struct {
	// Service is the IDL service name the caller named ("isn"), or "".
	Service string
	// Timeout is the caller's remaining time, or 0 if it sent none.
	Timeout time.Duration
}

// Names keeps copies of the names a connection's requests carry (caller
// and callee services and methods), which repeat from call to call, so that
// reading them allocates once per connection rather than once per call.
type Names struct {
	recent [4]string
	next   int
}

// copy returns s, which aliases a read buffer, as a string of its own.
func (n *Names) copy(s string) string {
	for _, r := range n.recent {
		if r == s {
			return r
		}
	}
	c := strings.Clone(s)
	n.recent[n.next] = c
	n.next = (n.next + 1) % len(n.recent)
	return c
}

// Timeout returns the caller's remaining time a request header carries
// (key 12, decimal milliseconds), or 0 if it carries none or a value that
// is not a positive integer.
func Timeout(h *ttheader.Header) time.Duration {
	v, _ := h.Int(ttheader.KeyRPCTimeout)
	return timeout(v)
}

func timeout(v string) time.Duration {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 0
}

// ReadRequest reads a request header into ri: caller, callee and metadata
// (keys and values copied, since h aliases the read buffer; names through
// names). It returns the service name and timeout the header carried; the
// service name aliases h.
func ReadRequest(h *ttheader.Header, ri *rpcinfo.Info, names *Names) ServerCall {
	var sc ServerCall
	for _, p := range h.Ints {
		switch p.Key {
		case ttheader.KeyFromService:
			ri.CallerService = names.copy(p.Value)
		case ttheader.KeyFromMethod:
			ri.CallerMethod = names.copy(p.Value)
		case ttheader.KeyToService:
			ri.CalleeService = names.copy(p.Value)
		case ttheader.KeyLogID:
			ri.LogID = strings.Clone(p.Value)
		case ttheader.KeyRPCTimeout:
			sc.Timeout = timeout(p.Value)
		}
	}
	var persistent, transient []metainfo.Pair
	for _, p := range h.Strs {
		switch {
		case p.Key == ttheader.KeyIDLServiceName:
			sc.Service = p.Value
		case strings.HasPrefix(p.Key, ttheader.PrefixTransientUpstream):
			// Kitex reads these as transient values and never sends them on.
			transient = append(transient, pair(p.Key[len(ttheader.PrefixTransientUpstream):], p.Value))
		case strings.HasPrefix(p.Key, ttheader.PrefixPersistent):
			persistent = append(persistent, pair(p.Key[len(ttheader.PrefixPersistent):], p.Value))
		case strings.HasPrefix(p.Key, ttheader.PrefixTransient):
			transient = append(transient, pair(p.Key[len(ttheader.PrefixTransient):], p.Value))
		}
	}
	if h.Token != "" {
		transient = append(transient, pair(ttheader.GDPRTokenKey[len(ttheader.PrefixTransient):], h.Token))
	}
	if persistent != nil || transient != nil {
		ri.Metadata = metainfo.Incoming(persistent, transient)
	}
	return sc
}

func pair(k, v string) metainfo.Pair {
	return metainfo.Pair{Key: strings.Clone(k), Value: strings.Clone(v)}
}

// Reply fills h, already reset, for a server's reply: the backward values
// the handler sent, and biz, a business error, as biz-status and
// biz-message.
func Reply(h *ttheader.Header, sc *Scratch, ri *rpcinfo.Info, biz *status.Error) {
	for _, p := range ri.Backward() {
		h.AddStr(p.Key, p.Value)
	}
	if biz != nil {
		h.AddStr(ttheader.KeyBizStatus, alias(strconv.AppendInt(sc.biz[:0], int64(biz.Code()), 10)))
		h.AddStr(ttheader.KeyBizMessage, biz.Message())
	}
}

// ReadReply reads a reply header: biz-status, when present and not 0, is
// the call's business error (with biz-message); crrst says the server is
// about to close the connection (reset); every other string pair is a
// backward value for md (docs/spec/ttheader.md §7.4).
func ReadReply(h *ttheader.Header, md *metainfo.Metadata) (biz error, reset bool) {
	for _, p := range h.Strs {
		switch p.Key {
		case ttheader.KeyBizStatus:
			code, err := strconv.ParseInt(p.Value, 10, 32)
			if err != nil || code == 0 {
				continue // Kitex ignores these too
			}
			msg, _ := h.Str(ttheader.KeyBizMessage)
			biz = status.RemoteBusiness(codes.Code(code), strings.Clone(msg))
		case ttheader.KeyConnReset:
			reset = true
		case ttheader.KeyBizMessage, ttheader.KeyBizExtra:
		default:
			md.Received(strings.Clone(p.Key), strings.Clone(p.Value))
		}
	}
	return biz, reset
}
