package main

import (
	"fmt"
	"math"
	"strings"
)

var palette = []string{"#7f7f7f", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"}

// chart draws two grouped bar charts side by side, QPS and p99 latency,
// one group per concurrency and one bar per system, as SVG.
func (s summary) chart() []byte {
	var systems []string
	var levels []int
	seen := map[string]bool{}
	seenC := map[int]bool{}
	for _, r := range s.rows {
		if !seen[r.system] {
			seen[r.system] = true
			systems = append(systems, r.system)
		}
		if !seenC[r.c] {
			seenC[r.c] = true
			levels = append(levels, r.c)
		}
	}
	const panelW, panelH, top, bottom, left = 420, 260, 40, 50, 60
	width := 2*panelW + 40
	height := top + panelH + bottom + 20*((len(systems)+3)/4)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	panels := []struct {
		title string
		value func(row) float64
		unit  string
	}{
		{"Throughput (QPS, higher is better)", func(r row) float64 { return r.qps }, "%.0f"},
		{"p99 latency (ms, lower is better)", func(r row) float64 { return r.p99 }, "%.2f"},
	}
	for pi, p := range panels {
		x0 := 20 + pi*(panelW+20)
		maxV := 0.0
		for _, r := range s.rows {
			maxV = math.Max(maxV, p.value(r))
		}
		if maxV == 0 {
			maxV = 1
		}
		fmt.Fprintf(&b, `<text x="%d" y="20" font-weight="bold">%s</text>`+"\n", x0, p.title)
		plotW := panelW - left
		groupW := float64(plotW) / float64(len(levels))
		barW := groupW * 0.8 / float64(len(systems))
		base := top + panelH
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", x0+left, base, x0+panelW, base)
		for gi, c := range levels {
			gx := float64(x0+left) + float64(gi)*groupW + groupW*0.1
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">c=%d</text>`+"\n", gx+groupW*0.4, base+16, c)
			for si, sys := range systems {
				r, ok := s.find(sys, c)
				if !ok {
					continue
				}
				v := p.value(r)
				h := v / maxV * float64(panelH-10)
				x := gx + float64(si)*barW
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s c=%d: `+p.unit+`</title></rect>`+"\n",
					x, float64(base)-h, barW*0.9, h, palette[si%len(palette)], sys, c, v)
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="9">`+p.unit+`</text>`+"\n", x+barW*0.45, float64(base)-h-3, v)
			}
		}
	}
	for si, sys := range systems {
		x := 20 + (si%4)*150
		y := top + panelH + 36 + 20*(si/4)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", x, y, palette[si%len(palette)], x+18, y+11, sys)
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}
