//go:build tools

package main

import (
	_ "charm.land/bubbles/v2/key"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/adrg/xdg"
	_ "github.com/charmbracelet/x/exp/teatest/v2"
	_ "github.com/getkin/kin-openapi/openapi3filter"
	_ "github.com/sahilm/fuzzy"
	_ "gopkg.in/yaml.v3"
)

func main() {}
