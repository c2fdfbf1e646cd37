//go:build go1.24

package main

// overflowRebuild: Swiss tables have no overflow buckets (a full group sends the
// probe sequence on to the next group), so the post's §2.4 has nothing to measure.
func overflowRebuild(r *rng) map[string]any {
	return map[string]any{"applicable": false,
		"why": "Swiss tables have no overflow buckets: probing moves on to the next group"}
}
