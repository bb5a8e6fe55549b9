// Package idl is the intermediate form of an interface definition: the
// files, types, constants and services a parser read, with every name
// resolved and every constant checked against its type.
//
// A parser (package thriftidl for Thrift) turns source files into a Program;
// code generators and generic calls read it. A Program is plain data: it is
// not changed after the parser returns it and is safe to read concurrently.
//
// Pointers tie the pieces together: a Type that names a struct points at
// that Struct, a constant that names an enum value points at that EnumValue,
// and every definition points back at its File, so a generator always knows
// which file (and so which Go package) a name lives in.
package idl
