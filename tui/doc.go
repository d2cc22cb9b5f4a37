// Package tui is the interactive terminal user interface of inspect.
package tui
