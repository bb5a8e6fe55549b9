module github.com/ospreyrpc/osprey/conformance

go 1.26

require github.com/ospreyrpc/osprey v0.0.0

require github.com/apache/thrift v0.25.0

require github.com/cloudwego/gopkg v0.2.0

require github.com/bytedance/gopkg v0.1.4 // indirect

replace github.com/ospreyrpc/osprey => ../
