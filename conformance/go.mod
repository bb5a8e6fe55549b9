module github.com/ospreyrpc/osprey/conformance

go 1.26

require github.com/ospreyrpc/osprey v0.0.0

require github.com/apache/thrift v0.25.0

replace github.com/ospreyrpc/osprey => ../
