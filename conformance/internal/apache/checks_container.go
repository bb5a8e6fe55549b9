package apache

import (
	"maps"
	"math"
	"slices"
)

func containerChecks() []check {
	var cs []check
	cs = append(cs, echo("testMap", (*client).TestMap, maps.Equal,
		map[int32]int32{},
		map[int32]int32{0: 0},
		map[int32]int32{1: 2, 3: 4, -5: -42, math.MinInt32: math.MaxInt32, math.MaxInt32: math.MinInt32},
	)...)
	cs = append(cs, echo("testStringMap", (*client).TestStringMap, maps.Equal,
		map[string]string{},
		map[string]string{"": ""},
		map[string]string{"a": "2", "b": "blah", "some": "thing", "ключ": "значение 🦅", "empty": ""},
	)...)
	cs = append(cs, echo("testSet", (*client).TestSet, equalSets,
		[]int32{},
		[]int32{0},
		[]int32{1, 2, 42, -1, math.MinInt32, math.MaxInt32},
	)...)
	cs = append(cs, echo("testList", (*client).TestList, slices.Equal,
		[]int32{},
		[]int32{0},
		[]int32{3, -2, 1, 1, 0, math.MinInt32, math.MaxInt32, 42, 42},
		bigList(),
	)...)
	return cs
}

// equalSets reports whether got and want hold the same elements, in any
// order. Neither holds an element twice: writing such a set fails.
func equalSets(got, want []int32) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

// bigList returns a list longer than the compact protocol's short list
// header can count, and whose encoding outgrows the buffered transport's
// buffer.
func bigList() []int32 {
	l := make([]int32, 5000)
	for i := range l {
		l[i] = int32(i*i) - 1<<20
	}
	return l
}
