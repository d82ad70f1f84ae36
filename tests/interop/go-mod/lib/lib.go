// Package lib is a local module the app replaces into its build.
package lib

// Greeting is what the app prints.
func Greeting() string { return "hello from lib" }
