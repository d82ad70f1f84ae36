// Package dep is a vendored module with a release version.
package dep

// Name names the module.
const Name = "dep"
