// Package ttmeta maps a call's information and metadata to and from
// TTHeader info keys, the way Kitex reads and writes them
// (docs/spec/ttheader.md §7), for the client and the server alike.
package ttmeta
