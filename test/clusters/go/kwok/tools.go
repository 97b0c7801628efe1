//go:build tools

// Package tools pins the main packages built by the harness.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
