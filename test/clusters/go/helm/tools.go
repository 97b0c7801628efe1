//go:build tools

// Package tools pins the main packages built by the harness.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
