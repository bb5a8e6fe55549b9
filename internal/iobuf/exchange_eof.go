package iobuf

import "io"

var errEOF = io.EOF
