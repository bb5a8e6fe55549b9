module github.com/ospreyrpc/osprey

go 1.26
